using System.Text.Json;
using FluentAssertions;

namespace TaskQueue.Cli.Tests;

public sealed class EnqueueDeduplicationTests
{
    [Fact]
    public async Task Enqueue_SameTaskTwice_BothQueuedAndNeitherMarkedAsAPossibleDuplicate()
    {
        await using var queue = await CliQueue.CreateAsync();

        var first = await CliRun.RunAsync("enqueue", queue.Name, "doc-1", "echo", "--config", "{\"v\": 1}");
        var second = await CliRun.RunAsync("enqueue", queue.Name, "doc-1", "echo", "--config", "{\"v\": 2}");

        first.ExitCode.Should().Be(0, first.ToString());
        second.ExitCode.Should().Be(0, second.ToString());
        (first.Output + second.Output).Should().NotContain("duplicate");
        (await AvailableAsync(queue)).Should().Be(2, "a re-enqueue is new work");
    }

    [Fact]
    public async Task Enqueue_SameIdempotencyKeyTwice_OneQueuedAndTheOutputSaysSendsMayBeDuplicates()
    {
        await using var queue = await CliQueue.CreateAsync();

        var first = await CliRun.RunAsync("enqueue", queue.Name, "doc-1", "echo", "--idempotency-key", "upload-7");
        var second = await CliRun.RunAsync("enqueue", queue.Name, "doc-1", "echo", "--idempotency-key", "upload-7");
        var json = await CliRun.RunAsync("enqueue", queue.Name, "doc-1", "echo", "--idempotency-key", "upload-7", "--json");

        second.ExitCode.Should().Be(0, second.ToString());
        second.Output.Should().MatchRegex(@"sent    doc-1/echo  message \S+  \(may be a duplicate\)")
            .And.Contain("--idempotency-key").And.Contain("5 minutes");
        using var result = JsonDocument.Parse(json.Output);
        result.RootElement.GetProperty("tasks")[0].GetProperty("mayHaveBeenDeduplicated").GetBoolean().Should().BeTrue();
        (await AvailableAsync(queue)).Should().Be(1, "a repeat with the same key within 5 minutes is not delivered");
    }

    private static async Task<long> AvailableAsync(CliQueue queue)
    {
        var status = await CliRun.RunAsync("status", queue.Name, "--json");
        using var json = JsonDocument.Parse(status.Output);
        return json.RootElement.GetProperty("available").GetInt64();
    }
}
