using System.Globalization;
using System.Text;
using TaskQueue.ModelTests.Recording;
using TaskQueue.ModelTests.Scenarios;
using TaskQueue.ModelTests.Simulation;

namespace TaskQueue.ModelTests.Reporting;

/// <summary>The story of one message group, or of one enqueue batch, in a scenario, in the order things happened, for a failure message.</summary>
public static class TraceWriter
{
    private const int MaxLines = 150;

    public static string Group(ScenarioRun run, string groupId) =>
        Messages(run, $"group {groupId}", run.Record.Sent.Where(s => s.GroupId == groupId).Select(s => s.MessageId).ToHashSet(), []);

    /// <summary>The batch's messages and every ledger call and announcement about it: what a missing or extra announcement comes from.</summary>
    public static string Batch(ScenarioRun run, string batchId)
    {
        var record = run.Record;
        var serials = record.Batches[batchId].ToHashSet();
        var extra = record.LedgerCalls.Where(c => c.Subject == batchId).Select(c => (c.Seq, c.At, $"{c.Worker} ledger {c.Call}: {c.Outcome}"))
            .Concat(record.Announcements.Where(a => a.Batch.BatchId == batchId).Select(a => (a.Seq, a.At, $"{a.Worker} announces revision {a.Batch.Revision}")))
            .ToList();
        return Messages(run, $"batch {batchId}", record.Sent.Where(s => serials.Contains(s.Serial)).Select(s => s.MessageId).ToHashSet(), extra);
    }

    private static string Messages(ScenarioRun run, string title, HashSet<string> messages, List<(long Seq, TimeSpan At, string Text)> extra)
    {
        var record = run.Record;
        var serialOf = record.Sent.Where(s => messages.Contains(s.MessageId)).GroupBy(s => s.MessageId).ToDictionary(g => g.Key, g => g.First().Serial);
        var receives = record.Receives.Where(r => messages.Contains(r.MessageId)).ToList();
        var handles = receives.GroupBy(r => r.ReceiptHandle).ToDictionary(g => g.Key, g => g.First());
        var workers = receives.Select(r => r.Worker).ToHashSet();

        var lines = new List<(long Seq, TimeSpan At, string Text)>();
        lines.AddRange(extra);
        lines.AddRange(record.Sent.Where(s => messages.Contains(s.MessageId)).Select(s => (s.Seq, s.At, $"sent #{s.Serial} by {s.Sender}{(s.ResponseLost ? " (response lost)" : string.Empty)}")));
        lines.AddRange(receives.Select(r => (r.Seq, r.At, $"{r.Worker} received #{r.Serial} (receive {r.ReceiveCount}){(r.Lost ? " - response LOST" : string.Empty)}")));
        lines.AddRange(record.Runs.Where(r => messages.Contains(r.MessageId)).Select(r => (r.StartSeq, r.Start, $"{r.Worker} starts #{r.Serial} (receive {r.ReceiveCount})")));
        lines.AddRange(record.Runs.Where(r => messages.Contains(r.MessageId) && r.End is not null).Select(r => (r.EndSeq, r.End!.Value, $"{r.Worker} ends #{r.Serial}: {r.Outcome}")));
        lines.AddRange(record.ReceiptCalls.Where(c => handles.ContainsKey(c.ReceiptHandle)).Select(c => (c.Seq, c.At, Describe(c, handles[c.ReceiptHandle]))));
        lines.AddRange(record.WorkerEvents.Where(e => workers.Contains(e.Worker) && e.Kind != WorkerEventKind.Started).Select(e => (e.Seq, e.At, $"{e.Worker} {e.Kind} {e.Detail}")));
        // Faults a worker met as it settled one of these messages (the same fake instant as the run's end).
        var settling = record.Runs.Where(r => messages.Contains(r.MessageId) && r.End is not null).Select(r => (r.Worker, r.End!.Value)).ToHashSet();
        lines.AddRange(record.Faults.Where(f => settling.Contains((f.Worker, f.At))).Select(f => (f.Seq, f.At, $"{f.Worker} fault: {f.Operation} {f.Fault}")));
        lines.AddRange(record.DeadLetterCopies.Where(d => serialOf.ContainsValue(d.Serial)).Select(d => (d.Seq, d.At, $"{d.Worker} copied #{d.Serial} to the DLQ")));

        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"trace of {title} (fake seconds):");
        foreach (var line in lines.OrderBy(l => l.Seq).Take(MaxLines))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {ScenarioText.Seconds(line.At),9}  {line.Text}");
        }

        if (lines.Count > MaxLines)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  ... {lines.Count - MaxLines} more");
        }

        var dead = run.DeadLetters.Where(serialOf.ContainsValue).ToList();
        text.AppendLine(CultureInfo.InvariantCulture, $"  in the DLQ at the end: {(dead.Count == 0 ? "none" : string.Join(", ", dead.Select(d => $"#{d}")))}");
        return text.ToString();
    }

    private static string Describe(ReceiptCallRecord call, ReceiveRecord receive)
    {
        var what = call.Call == ReceiptCall.Delete
            ? $"deletes #{receive.Serial}"
            : call.VisibilityTimeout == TimeSpan.Zero ? $"releases #{receive.Serial}" : $"sets visibility of #{receive.Serial} to {call.VisibilityTimeout.TotalSeconds} s";
        var outcome = call.Succeeded ? "ok" : "rejected";
        return $"{call.Worker} {what} (receipt of receive {receive.ReceiveCount}): {outcome}{(call.ResponseLost ? ", response lost" : string.Empty)}";
    }
}
