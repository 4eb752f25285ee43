using System.Text.Json;
using FluentAssertions;
using TaskQueue.TestSupport;

namespace TaskQueue.Cli.Tests;

public sealed class DlqCommandTests
{
    [Fact]
    public async Task DlqPeek_ListsDeadLettersAndLeavesThem()
    {
        await using var queue = await SeedDeadLettersAsync();

        var peek = await CliRun.RunAsync("dlq", "peek", queue.Name, "--json");
        var status = await CliRun.RunAsync("status", queue.Name, "--json");

        peek.ExitCode.Should().Be(0, peek.ToString());
        using var json = JsonDocument.Parse(peek.Output);
        json.RootElement.EnumerateArray().Select(l => $"{l.GetProperty("entityId").GetString()}/{l.GetProperty("taskName").GetString()}")
            .Should().BeEquivalentTo(["doc-1/echo", "doc-1/sleep", "doc-2/echo"]);
        using var counts = JsonDocument.Parse(status.Output);
        counts.RootElement.GetProperty("deadLetters").GetInt64().Should().Be(3);
    }

    [Fact]
    public async Task DlqPeek_DeadLetterMovedByAWorker_ShowsWhyAndAfterHowManyAttempts()
    {
        await using var queue = await CliQueue.CreateAsync();
        var sqs = LocalSqsServer.CreateClient();
        var body = """{"entity_id":"doc-1","task_name":"ocr","task_config":{},"metadata":{},"timestamp":"2026-11-23T10:15:30.123456+00:00","retry_count":0,"total_tasks":1}""";
        var note = new Dictionary<string, string> { ["dead_letter_reason"] = "the scan is unreadable", ["dead_letter_attempts"] = "2" };
        var sent = await sqs.SendMessageBatchAsync(await sqs.GetQueueUrlAsync(queue.DeadLetterName), [new Sqs.OutgoingMessage("0", body, "doc-1-ocr", "d-1", note)]);
        sent.Failed.Should().BeEmpty();

        var table = await CliRun.RunAsync("dlq", "peek", queue.Name);
        var json = await CliRun.RunAsync("dlq", "peek", queue.Name, "--json");

        table.ExitCode.Should().Be(0, table.ToString());
        table.Output.Should().Contain("after 2 attempts: the scan is unreadable");
        using var letters = JsonDocument.Parse(json.Output);
        var letter = letters.RootElement.EnumerateArray().Should().ContainSingle().Subject;
        letter.GetProperty("deadLetterReason").GetString().Should().Be("the scan is unreadable");
        letter.GetProperty("attempts").GetInt32().Should().Be(2);
    }

    [Fact]
    public async Task DlqRedrive_DryRunThenFiltered_MovesOnlyTheMatchingDeadLetters()
    {
        await using var queue = await SeedDeadLettersAsync();

        var dryRun = await CliRun.RunAsync("dlq", "redrive", queue.Name, "--entity", "doc-1", "--dry-run");
        var afterDryRun = await StatusAsync(queue);
        var redrive = await CliRun.RunAsync("dlq", "redrive", queue.Name, "--entity", "doc-1", "--task", "echo");
        var afterRedrive = await StatusAsync(queue);

        dryRun.ExitCode.Should().Be(0, dryRun.ToString());
        dryRun.Output.Should().Contain("dry run: 2 dead letters would move").And.Contain("1 do not match; nothing moved");
        afterDryRun.Should().Be((0, 3));
        redrive.ExitCode.Should().Be(0, redrive.ToString());
        redrive.Output.Should().Contain("moved 1 of 1 matching dead letters").And.Contain("2 do not match");
        afterRedrive.Should().Be((1, 2));
    }

    [Fact]
    public async Task DlqRedrive_Json_ReportsTheCount()
    {
        await using var queue = await SeedDeadLettersAsync();

        var redrive = await CliRun.RunAsync("dlq", "redrive", queue.Name, "--json");

        redrive.ExitCode.Should().Be(0, redrive.ToString());
        using var json = JsonDocument.Parse(redrive.Output);
        json.RootElement.GetProperty("moved").GetInt32().Should().Be(3);
        (await StatusAsync(queue)).Should().Be((3, 0));
    }

    /// <summary>A queue whose DLQ holds doc-1/echo, doc-1/sleep and doc-2/echo, enqueued straight into the DLQ in the task wire format.</summary>
    private static async Task<CliQueue> SeedDeadLettersAsync()
    {
        var queue = await CliQueue.CreateAsync();
        (await CliRun.RunAsync("enqueue", queue.DeadLetterName, "doc-1", "echo", "sleep")).ExitCode.Should().Be(0);
        (await CliRun.RunAsync("enqueue", queue.DeadLetterName, "doc-2", "echo")).ExitCode.Should().Be(0);
        return queue;
    }

    private static async Task<(long Available, long DeadLetters)> StatusAsync(CliQueue queue)
    {
        var status = await CliRun.RunAsync("status", queue.Name, "--json");
        using var json = JsonDocument.Parse(status.Output);
        return (json.RootElement.GetProperty("available").GetInt64(), json.RootElement.GetProperty("deadLetters").GetInt64());
    }
}
