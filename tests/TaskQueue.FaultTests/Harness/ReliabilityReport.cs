using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace TaskQueue.FaultTests.Harness;

/// <summary>
/// Collects the figures the scenarios measured; when <c>TASKQUEUE_FAULTS_REPORT</c> names a file (tests/faults.sh sets
/// docs/RELIABILITY.md), writes them there as Markdown with the machine and the date once the suite has run.
/// </summary>
public sealed class ReliabilityReport : IDisposable
{
    public const string Variable = "TASKQUEUE_FAULTS_REPORT";

    private readonly List<(string Title, bool Passed, string Body)> _sections = [];
    private readonly DateTimeOffset _started = DateTimeOffset.UtcNow;

    public ReliabilityReport()
    {
        WorkDirectory = Path.Combine(Path.GetTempPath(), "taskqueue-faults-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(WorkDirectory);
    }

    /// <summary>Completion logs, worker logs and the persistent server's data: kept when a scenario failed.</summary>
    public string WorkDirectory { get; }

    public FaultScale Scale { get; } = FaultScale.Current;

    public int Seed { get; } = Environment.GetEnvironmentVariable("TASKQUEUE_FAULTS_SEED") is { } seed
        ? int.Parse(seed, CultureInfo.InvariantCulture)
        : Random.Shared.Next(1, 1_000_000);

    /// <summary>How long a scenario may wait for progress before it fails.</summary>
    public TimeSpan Patience => Scale == FaultScale.Full ? TimeSpan.FromMinutes(15) : TimeSpan.FromMinutes(3);

    public void Add(string title, bool passed, string body)
    {
        lock (_sections)
        {
            _sections.Add((title, passed, body));
        }
    }

    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } path)
        {
            File.WriteAllText(path, Render() + ModelSuiteSection(path));
        }

        if (_sections.All(s => s.Passed))
        {
            Directory.Delete(WorkDirectory, recursive: true);
        }
    }

    private string Render()
    {
        var text = new StringBuilder();
        text.AppendLine("# Reliability: the fault suite's figures").AppendLine();
        text.AppendLine("Written by `bash tests/faults.sh` (the full counts; `bash tests/run.sh` runs the same scenarios at quick counts as");
        text.AppendLine("tests). Every figure below was measured in the run named here; nothing is estimated. The worker under test is");
        text.AppendLine("`tests/TaskQueue.FaultWorker`, a `TaskQueueWorker` over `AwsSqsClient` in its own process, recording each task it");
        text.AppendLine("starts and completes to an append-only file (each line flushed to the kernel before the task is acknowledged, so a");
        text.AppendLine("SIGKILL loses none). The server is fauxqs on loopback; the restart and entity-completion scenarios run their own, with");
        text.AppendLine("SQLite persistence. The entity ledger is on dynalite (DynamoDB) on loopback, which no scenario stops.");
        text.AppendLine();
        text.AppendLine("| run | |").AppendLine("| --- | --- |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| date (UTC) | {_started:yyyy-MM-dd HH:mm} to {DateTimeOffset.UtcNow:HH:mm} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| machine | {Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024):0.#} GiB, {RuntimeInformation.OSDescription} {RuntimeInformation.OSArchitecture} (shared, noisy) |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| runtime | {RuntimeInformation.FrameworkDescription}; SQS server fauxqs {PackageVersion("fauxqs")}, DynamoDB server dynalite {PackageVersion("dynalite")}, on Node from tests/node_modules |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| counts | {Scale.Name}; random seed {Seed} (`TASKQUEUE_FAULTS_SEED={Seed} bash tests/faults.sh` repeats the kill moments and bodies) |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| result | {_sections.Count(s => s.Passed)} of {_sections.Count} scenarios passed |");
        text.AppendLine();
        foreach (var (title, passed, body) in _sections.OrderBy(s => s.Title, StringComparer.Ordinal))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"## {title}: {(passed ? "passed" : "FAILED")}").AppendLine();
            text.AppendLine(body.TrimEnd()).AppendLine();
        }

        text.AppendLine("## How the figures are taken").AppendLine();
        text.AppendLine("- Run it: `bash tests/faults.sh` (full counts, rewrites this file); `bash tests/run.sh` runs the quick counts as the");
        text.AppendLine("  tests of `tests/TaskQueue.FaultTests`. The harness is `tests/TaskQueue.FaultTests/Harness/`, one file per scenario.");
        text.AppendLine("- Completed, lost and duplicate counts come from the workers' completion logs: a task id is lost if no worker");
        text.AppendLine("  recorded its completion, a duplicate if more than one completion of it was recorded.");
        text.AppendLine("- Duplicate bound of the kill scenario: a killed worker can leave to run again only what it held: at most");
        text.AppendLine("  MaxConcurrentTasks running, and finished tasks whose deletes were not yet answered (at most 9 waiting for a batch");
        text.AppendLine("  to fill and a batch of 10 under way). \"Running at each kill\" is read from the log just after the kill.");
        text.AppendLine("- Server downtime is from the SIGKILL to the restarted server answering `GET /health` on the same port; the");
        text.AppendLine("  pause in between is a random 3 to 4.5 s: longer than the first delete retries, shorter than the 5 s visibility timeout. The worker's own SDK client is left to find out by itself.");
        text.AppendLine("- Hostile bodies: random characters are drawn from what SQS accepts in a body, without #x10000 and up, which fauxqs");
        text.AppendLine("  refuses (random bytes as such cannot be sent); deep nesting is 65 to 20,000 levels (the parser allows 64);");
        text.AppendLine("  maximum size alternates between 256 KiB and the queue's MaximumMessageSize (1 MiB on fauxqs). The DLQ is read");
        text.AppendLine("  back and compared with what was sent by SHA-256 of each body.");
        text.AppendLine("- Pickup delay: from worker A's completion record of a group's long task to worker B's start record of the next");
        text.AppendLine("  task of that group; it includes A's delete and B's receive. fauxqs returns at most one message of a group per");
        text.AppendLine("  receive, so A holds unstarted messages only when a poll under way at the stop brings some; the count A released");
        text.AppendLine("  is from its log.");
        text.AppendLine("- Long task: each execution is a start record; the queue is empty at the end, so no execution can follow.");
        text.AppendLine("- Entity completion: each worker's completion handler appends every announcement (entity, batch, revision, how many");
        text.AppendLine("  tasks dead-lettered) to the completion log before it returns. A batch is missing if no worker announced it. A");
        text.AppendLine("  repeated announcement of a batch revision is explained only when its earlier announcer was SIGKILLed after that");
        text.AppendLine("  announcement and before the repeat (it died between announcing and marking the revision announced); any other");
        text.AppendLine("  fails the scenario. The ledger is read with `GetBatchesAsync` for every entity; the DLQ's contents are what the");
        text.AppendLine("  redrive found there. A batch's last task is the latest of its tasks' first completion records (for a task that");
        text.AppendLine("  never completed, its last failed attempt); its announcement the first announcement record; both are wall-clock");
        text.AppendLine("  milliseconds of the same machine. DynamoDB requests are counted under the workers' SDK clients (an HTTP handler");
        text.AppendLine("  that logs each request's `X-Amz-Target` before sending it: SDK retries count, a SIGKILL loses none) and, for the");
        text.AppendLine("  producer, by the SDK's `BeforeRequestEvent`. The SQS server restart is as in scenario 2; fauxqs 2.4.1 with");
        text.AppendLine("  persistence loses a message made visible again (its ChangeMessageVisibility to 0 writes NULL into a NOT NULL");
        text.AppendLine("  column after taking the message out of flight), so the suite's launcher replaces that one statement.");

        return text.ToString();
    }

    /// <summary>The model-based suite's section of the page, which tests/model.sh writes: kept as it is when the fault suite rewrites the page.</summary>
    private static string ModelSuiteSection(string path)
    {
        if (!File.Exists(path))
        {
            return string.Empty;
        }

        var page = File.ReadAllText(path);
        var begin = page.IndexOf("<!-- model-suite:begin", StringComparison.Ordinal);
        const string End = "<!-- model-suite:end -->";
        var end = page.IndexOf(End, StringComparison.Ordinal);
        return begin >= 0 && end > begin ? Environment.NewLine + page[begin..(end + End.Length)] + Environment.NewLine : string.Empty;
    }

    private static string PackageVersion(string name)
    {
        try
        {
            using var package = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.TestsDirectory, "node_modules", name, "package.json")));
            return package.RootElement.GetProperty("version").GetString() ?? "?";
        }
        catch (IOException)
        {
            return "?";
        }
    }
}
