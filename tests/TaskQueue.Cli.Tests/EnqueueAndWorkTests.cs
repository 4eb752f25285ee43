using System.Text.Json;
using FluentAssertions;

namespace TaskQueue.Cli.Tests;

public sealed class EnqueueAndWorkTests
{
    [Fact]
    public async Task Enqueue_ThenStatusJson_CountsTheTasksAvailable()
    {
        await using var queue = await CliQueue.CreateAsync();

        var enqueue = await CliRun.RunAsync("enqueue", queue.Name, "doc-1", "echo", "sleep", "--config", "{\"seconds\": 0}", "--metadata", "{\"tenant\": \"acme\"}");
        var status = await CliRun.RunAsync("status", queue.Name, "--json");

        enqueue.ExitCode.Should().Be(0, enqueue.ToString());
        enqueue.Output.Should().Contain("sent    doc-1/echo").And.Contain("sent    doc-1/sleep");
        status.ExitCode.Should().Be(0, status.ToString());
        using var json = JsonDocument.Parse(status.Output);
        json.RootElement.GetProperty("available").GetInt64().Should().Be(2);
        json.RootElement.GetProperty("deadLetters").GetInt64().Should().Be(0);
    }

    [Fact]
    public async Task Work_MaxTasks_StopsAfterThatManyTasks()
    {
        await using var queue = await CliQueue.CreateAsync();
        await CliRun.RunAsync("enqueue", queue.Name, "doc-1", "echo", "sleep", "--config", "{\"seconds\": 0}");
        await CliRun.RunAsync("enqueue", queue.Name, "doc-2", "echo");

        var work = await CliRun.RunAsync("work", queue.Name, "--max-tasks", "2", "--concurrency", "1", "--json");

        work.ExitCode.Should().Be(0, work.ToString());
        using var json = JsonDocument.Parse(work.Output);
        json.RootElement.GetProperty("processed").GetInt32().Should().Be(2);
        var status = await CliRun.RunAsync("status", queue.Name, "--json");
        using var left = JsonDocument.Parse(status.Output);
        (left.RootElement.GetProperty("available").GetInt64() + left.RootElement.GetProperty("inFlight").GetInt64()).Should().Be(1);
    }

    [Fact]
    public async Task Work_ExitWhenEmpty_RunsEveryTaskThenStops()
    {
        await using var queue = await CliQueue.CreateAsync();
        await CliRun.RunAsync("enqueue", queue.Name, "doc-1", "echo", "sleep", "--config", "{\"seconds\": 0.1}");

        var work = await CliRun.RunAsync("work", queue.Name, "--exit-when-empty");

        work.ExitCode.Should().Be(0, work.ToString());
        work.Output.Should().Contain("done    doc-1/echo").And.Contain("done    doc-1/sleep")
            .And.Contain("stopped: 2 tasks run, 2 done, 0 failed");
    }

    [Fact]
    public async Task StatusWatch_UntilCancelled_PrintsRowsAndEndsCleanly()
    {
        await using var queue = await CliQueue.CreateAsync();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2.5));

        var watch = await CliRun.RunAsync(stop.Token, "status", queue.Name, "--watch", "--interval", "1", "--json");

        watch.ExitCode.Should().Be(0, watch.ToString());
        var rows = watch.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        rows.Should().HaveCountGreaterThanOrEqualTo(2);
        using var second = JsonDocument.Parse(rows[1]);
        second.RootElement.GetProperty("completedPerSecond").GetDouble().Should().Be(0);
    }
}
