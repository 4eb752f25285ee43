using System.Text.Json;
using FluentAssertions;
using TaskQueue.TestSupport;

namespace TaskQueue.Cli.Tests;

/// <summary><c>enqueue</c> and <c>work</c> with <c>--ledger-table</c>, then <c>entity show</c>: an entity's batches as the ledger recorded them.</summary>
public sealed class EntityCommandTests
{
    [Fact]
    public async Task EnqueueWorkShow_EveryTaskDone_ShowsTheBatchCompleteAndAnnounced()
    {
        await using var queue = await CliQueue.CreateAsync();
        await using var ledger = await CliLedger.CreateAsync();

        var enqueue = await CliRun.RunAsync("enqueue", queue.Name, "doc-1", "echo", "sleep", "--config", "{\"seconds\": 0}", "--ledger-table", ledger.Table);
        var batchId = BatchIdOf(enqueue);
        var work = await CliRun.RunAsync("work", queue.Name, "--exit-when-empty", "--ledger-table", ledger.Table);
        var show = await CliRun.RunAsync("entity", "show", "doc-1", "--ledger-table", ledger.Table, "--queue", queue.Name);

        work.ExitCode.Should().Be(0, work.ToString());
        work.Output.Should().Contain($"entity  doc-1  batch {batchId} complete: 2 tasks")
            .And.Contain("stopped: 2 tasks run, 2 done, 0 failed, 1 entity batch completed");
        show.ExitCode.Should().Be(0, show.ToString());
        var lines = show.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().StartWith($"batch {batchId}  doc-1  enqueued 20").And.EndWith("2/2 finished  complete  announced");
        lines[1].Should().MatchRegex("^task +state +attempts +duration +DLQ +last error$");
        lines.Skip(2).Should().HaveCount(2).And.AllSatisfy(row => row.Should().MatchRegex(@"^(echo|sleep) +completed +1 +\d+\.\d\d s +-$"));
    }

    [Fact]
    public async Task EntityShow_Json_IsOneDocumentWithEachTaskAndWhetherItSitsInTheDlq()
    {
        await using var queue = await CliQueue.CreateAsync("--max-receive-count", "1");
        await using var ledger = await CliLedger.CreateAsync();
        var enqueue = await CliRun.RunAsync("enqueue", queue.Name, "doc-2", "echo", "fail", "--ledger-table", ledger.Table, "--json");
        using var sent = JsonDocument.Parse(enqueue.Output);
        var batchId = sent.RootElement.GetProperty("batchId").GetString();
        var work = await CliRun.RunAsync("work", queue.Name, "--exit-when-empty", "--ledger-table", ledger.Table, "--json");

        var show = await CliRun.RunAsync("entity", "show", "doc-2", "--ledger-table", ledger.Table, "--queue", queue.Name, "--json");

        using (var summary = JsonDocument.Parse(work.Output))
        {
            summary.RootElement.GetProperty("entitiesCompleted").GetInt32().Should().Be(1);
        }

        show.ExitCode.Should().Be(0, show.ToString());
        using var json = JsonDocument.Parse(show.Output);
        json.RootElement.GetProperty("entityId").GetString().Should().Be("doc-2");
        json.RootElement.GetProperty("ledgerTable").GetString().Should().Be(ledger.Table);
        var batch = json.RootElement.GetProperty("batches").EnumerateArray().Should().ContainSingle().Subject;
        batchId.Should().NotBeNullOrEmpty();
        batch.GetProperty("batchId").GetString().Should().Be(batchId);
        batch.GetProperty("totalTasks").GetInt32().Should().Be(2);
        batch.GetProperty("finishedTasks").GetInt32().Should().Be(2);
        batch.GetProperty("complete").GetBoolean().Should().BeTrue();
        batch.GetProperty("allSucceeded").GetBoolean().Should().BeFalse();
        batch.GetProperty("announcedRevision").GetInt32().Should().Be(1);
        batch.GetProperty("enqueuedAt").GetDateTimeOffset().Should().BeBefore(batch.GetProperty("completedAt").GetDateTimeOffset());
        var tasks = batch.GetProperty("tasks").EnumerateArray().ToDictionary(t => t.GetProperty("taskName").GetString()!);
        tasks["echo"].GetProperty("state").GetString().Should().Be("completed");
        tasks["echo"].GetProperty("inDeadLetterQueue").ValueKind.Should().Be(JsonValueKind.Null);
        tasks["echo"].GetProperty("durationSeconds").GetDouble().Should().BeGreaterThanOrEqualTo(0);
        tasks["fail"].GetProperty("state").GetString().Should().Be("dead-lettered");
        tasks["fail"].GetProperty("attempts").GetInt32().Should().Be(1);
        tasks["fail"].GetProperty("lastError").GetString().Should().Contain("fails on purpose");
        tasks["fail"].GetProperty("inDeadLetterQueue").GetBoolean().Should().BeTrue();
    }

    [Fact]
    public async Task EntityShow_DeadLetteredTask_TableSaysItSitsInTheDlqOnlyWhenAQueueIsGiven()
    {
        await using var queue = await CliQueue.CreateAsync("--max-receive-count", "1");
        await using var ledger = await CliLedger.CreateAsync();
        await CliRun.RunAsync("enqueue", queue.Name, "doc-3", "fail", "--ledger-table", ledger.Table);
        await CliRun.RunAsync("work", queue.Name, "--exit-when-empty", "--ledger-table", ledger.Table);

        var withQueue = await CliRun.RunAsync("entity", "show", "doc-3", "--ledger-table", ledger.Table, "--queue", queue.Name);
        var ledgerOnly = await CliRun.RunAsync("entity", "show", "doc-3", "--ledger-table", ledger.Table);

        withQueue.Output.Should().Contain("1/1 finished  complete, 1 dead-lettered  announced");
        withQueue.Output.Should().MatchRegex(@"fail +dead-lettered +1 +\d+\.\d\d s +yes +failed 1 attempts.*task 'fail' of doc-3 fails on purpose");
        ledgerOnly.ExitCode.Should().Be(0, ledgerOnly.ToString());
        ledgerOnly.Output.Should().MatchRegex(@"fail +dead-lettered +1 +\d+\.\d\d s +\? +failed 1 attempts");
    }

    [Fact]
    public async Task EntityShow_EnqueuedWithTheLedger_ListsTasksNoWorkerTookAsPending()
    {
        await using var queue = await CliQueue.CreateAsync();
        await using var ledger = await CliLedger.CreateAsync();
        await CliRun.RunAsync("enqueue", queue.Name, "doc-4", "echo", "sleep", "--ledger-table", ledger.Table);

        var show = await CliRun.RunAsync("entity", "show", "doc-4", "--ledger-table", ledger.Table);

        show.ExitCode.Should().Be(0, show.ToString());
        show.Output.Should().Contain("0/2 finished  open  not announced");
        show.Output.Should().MatchRegex(@"\necho +pending +- +- +-\n").And.MatchRegex(@"\nsleep +pending +- +- +-\n");
    }

    [Fact]
    public async Task EntityShow_UnknownEntity_OneLineAndExitCode1()
    {
        await using var ledger = await CliLedger.CreateAsync();

        var show = await CliRun.RunAsync("entity", "show", "nobody", "--ledger-table", ledger.Table);

        show.ExitCode.Should().Be(CliApp.Failure, show.ToString());
        show.Output.Should().BeEmpty();
        show.ErrorLines.Should().ContainSingle().Which.Should()
            .StartWith($"taskqueue: no batches recorded for entity 'nobody' in ledger table '{ledger.Table}': tasks are recorded by `taskqueue work --ledger-table {ledger.Table}`");
    }

    [Theory]
    [InlineData("entity|show|doc-1|--ledger-table|{0}")]
    [InlineData("work|{1}|--exit-when-empty|--ledger-table|{0}")]
    [InlineData("enqueue|{1}|doc-1|echo|--ledger-table|{0}")]
    public async Task MissingLedgerTable_OneLineNamingTheTableAndTheCommandThatCreatesIt(string args)
    {
        await using var queue = await CliQueue.CreateAsync();
        var table = "no-such-ledger-" + Guid.NewGuid().ToString("N")[..8];

        var run = await CliRun.RunAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, args, table, queue.Name).Split('|'));

        run.ExitCode.Should().Be(CliApp.Failure, run.ToString());
        run.ErrorLines.Should().ContainSingle().Which.Should()
            .Be($"taskqueue: ledger table '{table}' does not exist: create it with `taskqueue ledger create {table}` (or check --dynamodb-endpoint and --region)");
        var status = await CliRun.RunAsync("status", queue.Name, "--json");
        using var json = JsonDocument.Parse(status.Output);
        json.RootElement.GetProperty("available").GetInt64().Should().Be(0, "nothing is sent or received without the ledger");
    }

    [Fact]
    public async Task EntityShowWatch_EndsOnceTheNewestBatchIsComplete_PrintingWhatChanged()
    {
        await using var queue = await CliQueue.CreateAsync();
        await using var ledger = await CliLedger.CreateAsync();
        var batchId = BatchIdOf(await CliRun.RunAsync("enqueue", queue.Name, "doc-5", "echo", "sleep", "--config", "{\"seconds\": 0}", "--ledger-table", ledger.Table));
        using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var watching = CliRun.RunAsync(giveUp.Token, "entity", "show", "doc-5", "--ledger-table", ledger.Table, "--watch", "--interval", "1");
        var work = await CliRun.RunAsync("work", queue.Name, "--exit-when-empty", "--ledger-table", ledger.Table);
        var watch = await watching;

        work.ExitCode.Should().Be(0, work.ToString());
        watch.ExitCode.Should().Be(CliApp.Success, watch.ToString());
        watch.Output.Should().Contain("0/2 finished  open").And.MatchRegex(@"\d\d:\d\d:\d\d  doc-5/echo  completed  attempt 1, ")
            .And.MatchRegex(@"\d\d:\d\d:\d\d  doc-5/sleep  completed  attempt 1, ")
            .And.Contain($"  batch {batchId}  complete: 2/2 finished");
    }

    [Fact]
    public async Task EntityShowWatch_Json_OneDocumentPerLineUntilComplete()
    {
        await using var queue = await CliQueue.CreateAsync();
        await using var ledger = await CliLedger.CreateAsync();
        await CliRun.RunAsync("enqueue", queue.Name, "doc-6", "echo", "--ledger-table", ledger.Table);
        using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var watching = CliRun.RunAsync(giveUp.Token, "entity", "show", "doc-6", "--ledger-table", ledger.Table, "--watch", "--interval", "1", "--json");
        await CliRun.RunAsync("work", queue.Name, "--exit-when-empty", "--ledger-table", ledger.Table);
        var watch = await watching;

        watch.ExitCode.Should().Be(CliApp.Success, watch.ToString());
        var documents = watch.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line)).ToList();
        documents.Should().HaveCountGreaterThanOrEqualTo(2);
        documents[0].RootElement.GetProperty("batches")[0].GetProperty("complete").GetBoolean().Should().BeFalse();
        documents[^1].RootElement.GetProperty("batches")[0].GetProperty("complete").GetBoolean().Should().BeTrue();
        documents.ForEach(d => d.Dispose());
    }

    [Fact]
    public async Task EntityShowWatch_StoppedBeforeComplete_ExitsAsCancelled()
    {
        await using var queue = await CliQueue.CreateAsync();
        await using var ledger = await CliLedger.CreateAsync();
        await CliRun.RunAsync("enqueue", queue.Name, "doc-7", "echo", "--ledger-table", ledger.Table);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(1.5));

        var watch = await CliRun.RunAsync(stop.Token, "entity", "show", "doc-7", "--ledger-table", ledger.Table, "--watch", "--interval", "1");

        watch.ExitCode.Should().Be(CliApp.Cancelled, watch.ToString());
        watch.Output.Should().Contain("0/1 finished  open");
    }

    [Fact]
    public async Task LedgerCreate_Twice_CreatesThenFindsIt()
    {
        await using var ledger = CliLedger.Named(LocalDynamoDbServer.UniqueTableName("cli-ledger"));
        var table = ledger.Table;

        var first = await CliRun.RunAsync("ledger", "create", table);
        var second = await CliRun.RunAsync("ledger", "create", table, "--json");

        first.ExitCode.Should().Be(0, first.ToString());
        first.Output.Should().Be($"created  ledger table {table}\n");
        second.ExitCode.Should().Be(0, second.ToString());
        using var json = JsonDocument.Parse(second.Output);
        json.RootElement.GetProperty("table").GetString().Should().Be(table);
        json.RootElement.GetProperty("created").GetBoolean().Should().BeFalse();
    }

    [Fact]
    public async Task Enqueue_PrintsTheBatchId_InTextAndJson()
    {
        await using var queue = await CliQueue.CreateAsync();

        var text = await CliRun.RunAsync("enqueue", queue.Name, "doc-8", "echo");
        var json = await CliRun.RunAsync("enqueue", queue.Name, "doc-8", "echo", "--json");

        BatchIdOf(text).Should().NotBeNullOrWhiteSpace();
        using var document = JsonDocument.Parse(json.Output);
        document.RootElement.GetProperty("batchId").GetString().Should().NotBeNullOrWhiteSpace().And.NotBe(BatchIdOf(text), "each call is a batch of its own");
    }

    /// <summary>The batch id from enqueue's text output: its <c>batch   ENTITY  ID</c> line.</summary>
    private static string BatchIdOf(CliRun enqueue)
    {
        enqueue.ExitCode.Should().Be(0, enqueue.ToString());
        var line = enqueue.Output.Split('\n').Should().ContainSingle(l => l.StartsWith("batch   ", StringComparison.Ordinal)).Subject;
        return line.Split("  ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
    }
}
