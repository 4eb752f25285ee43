using TaskQueue.ModelTests.Recording;
using TaskQueue.ModelTests.Simulation;

namespace TaskQueue.ModelTests.Checking;

/// <summary>The record of a scenario indexed the ways the oracle asks about it: by message, by receipt, by group, by worker.</summary>
public sealed class ScenarioFacts
{
    public ScenarioFacts(ScenarioRun run)
    {
        Run = run;
        var record = run.Record;
        Messages = record.Sent
            .GroupBy(s => s.MessageId)
            .Select(g => g.First())
            .ToDictionary(s => s.MessageId);
        Groups = Messages.Values
            .GroupBy(m => m.GroupId)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<SentRecord>)[.. g.OrderBy(m => m.SequenceNumber)]);
        ReceivesOf = record.Receives.GroupBy(r => r.MessageId).ToDictionary(g => g.Key, g => (IReadOnlyList<ReceiveRecord>)[.. g.OrderBy(r => r.Seq)]);
        RunsOf = record.Runs.GroupBy(r => r.MessageId).ToDictionary(g => g.Key, g => (IReadOnlyList<RunRecord>)[.. g.OrderBy(r => r.StartSeq)]);
        CallsWith = record.ReceiptCalls.GroupBy(c => c.ReceiptHandle).ToDictionary(g => g.Key, g => (IReadOnlyList<ReceiptCallRecord>)[.. g.OrderBy(c => c.Seq)]);
        EventsOf = record.WorkerEvents.GroupBy(e => e.Worker).ToDictionary(g => g.Key, g => (IReadOnlyList<WorkerEvent>)[.. g.OrderBy(e => e.Seq)]);
        DeadLettered = run.DeadLetters.ToHashSet();
        PoisonSerials = run.Scenario.Poison.Select(p => p.Serial).ToHashSet();
    }

    public ScenarioRun Run { get; }

    public IReadOnlyDictionary<string, SentRecord> Messages { get; }

    /// <summary>Each group's messages in send order.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<SentRecord>> Groups { get; }

    public IReadOnlyDictionary<string, IReadOnlyList<ReceiveRecord>> ReceivesOf { get; }

    public IReadOnlyDictionary<string, IReadOnlyList<RunRecord>> RunsOf { get; }

    public IReadOnlyDictionary<string, IReadOnlyList<ReceiptCallRecord>> CallsWith { get; }

    public IReadOnlyDictionary<string, IReadOnlyList<WorkerEvent>> EventsOf { get; }

    public IReadOnlySet<int> DeadLettered { get; }

    public IReadOnlySet<int> PoisonSerials { get; }

    public IReadOnlyList<ReceiveRecord> Receives(string messageId) => ReceivesOf.GetValueOrDefault(messageId) ?? [];

    public IReadOnlyList<RunRecord> Runs(string messageId) => RunsOf.GetValueOrDefault(messageId) ?? [];

    public IReadOnlyList<ReceiptCallRecord> Calls(string receiptHandle) => CallsWith.GetValueOrDefault(receiptHandle) ?? [];

    /// <summary>Whether the worker was paused at a point in the record: its last pause or resume before it was a pause.</summary>
    public bool PausedAt(string worker, long seq) =>
        (EventsOf.GetValueOrDefault(worker) ?? []).LastOrDefault(e => e.Seq < seq && e.Kind is WorkerEventKind.Paused or WorkerEventKind.Resumed) is { Kind: WorkerEventKind.Paused };

    /// <summary>
    /// Whether a pause of the worker began between two points of the record and lasted its bound (PauseReleaseAfter) or
    /// more: the worker gave up the messages it held then, though the release itself may come after the resume.
    /// </summary>
    public bool PauseOutlastedItsBound(string worker, long afterSeq, long beforeSeq)
    {
        var events = EventsOf.GetValueOrDefault(worker) ?? [];
        var bound = Run.Scenario.Shape.PauseReleaseAfter;
        return events.Where(e => e.Kind == WorkerEventKind.Paused && e.Seq > afterSeq && e.Seq < beforeSeq).Any(paused =>
            events.FirstOrDefault(e => e.Kind == WorkerEventKind.Resumed && e.Seq > paused.Seq) is not { } resumed || resumed.At - paused.At >= bound);
    }

    /// <summary>The first event of a kind for a worker after a point in the record, if any.</summary>
    public WorkerEvent? EventAfter(string worker, WorkerEventKind kind, long seq) =>
        (EventsOf.GetValueOrDefault(worker) ?? []).FirstOrDefault(e => e.Kind == kind && e.Seq > seq);

    /// <summary>
    /// The receive a run ran under: its worker's receive of the message with the receive count the handler was given,
    /// else that worker's latest receive of it before the run started.
    /// </summary>
    public ReceiveRecord? ReceiveOf(RunRecord run)
    {
        var before = Receives(run.MessageId).Where(r => r.Worker == run.Worker && r.Seq < run.StartSeq && !r.Lost).ToList();
        return before.LastOrDefault(r => r.ReceiveCount == run.ReceiveCount) ?? before.LastOrDefault();
    }

    /// <summary>The next receive of the same message after <paramref name="receive"/>, by anyone, lost or not.</summary>
    public ReceiveRecord? NextReceive(ReceiveRecord receive) =>
        Receives(receive.MessageId).FirstOrDefault(r => r.Seq > receive.Seq);

    /// <summary>The runs made under a receive.</summary>
    public IEnumerable<RunRecord> RunsUnder(ReceiveRecord receive) =>
        Runs(receive.MessageId).Where(r => r.Worker == receive.Worker && ReceiveOf(r) == receive);

    /// <summary>
    /// The same worker's earlier receive of the message that it still held when <paramref name="receive"/> came (no
    /// delete or release went through with it first): the message came back to its holder after a lost lease.
    /// </summary>
    public ReceiveRecord? StillHeldBefore(ReceiveRecord receive) =>
        Receives(receive.MessageId).LastOrDefault(r =>
            r.Seq < receive.Seq && r.Worker == receive.Worker && !r.Lost
            && !Calls(r.ReceiptHandle).Any(c => c.Succeeded && c.Seq < receive.Seq && (c.Call == ReceiptCall.Delete || c.VisibilityTimeout == TimeSpan.Zero)));

    /// <summary>The successful release (visibility 0) made with a receipt before a point, if any.</summary>
    public ReceiptCallRecord? ReleaseBefore(string receiptHandle, long seq) =>
        Calls(receiptHandle).FirstOrDefault(c => c.Call == ReceiptCall.ChangeVisibility && c.VisibilityTimeout == TimeSpan.Zero && c.Succeeded && c.Seq < seq);

    /// <summary>
    /// When the lease of a receive ran out, as SQS reckons it: the receive's visibility timeout, moved by every change
    /// SQS accepted with the receipt while it was still valid.
    /// </summary>
    public TimeSpan LeaseEnd(ReceiveRecord receive)
    {
        var end = receive.At + Run.Scenario.VisibilityTimeout;
        foreach (var change in Calls(receive.ReceiptHandle).Where(c => c.Call == ReceiptCall.ChangeVisibility && c.Succeeded))
        {
            if (change.At < end)
            {
                end = change.At + change.VisibilityTimeout;
            }
        }

        return end;
    }

    /// <summary>
    /// True when, before <paramref name="release"/> of <paramref name="receive"/>'s message, the same worker held a message
    /// ahead of it in its group whose lease had run out (as SQS reckons it) without a delete going through.
    /// </summary>
    public bool LeaseLostAhead(ReceiveRecord receive, ReceiptCallRecord release)
    {
        var message = Messages[receive.MessageId];
        return Groups[message.GroupId]
            .Where(ahead => ahead.SequenceNumber < message.SequenceNumber)
            .SelectMany(ahead => Receives(ahead.MessageId))
            .Any(held => held.Worker == receive.Worker && !held.Lost && held.Seq < release.Seq
                && LeaseEnd(held) <= release.At
                && !Calls(held.ReceiptHandle).Any(c => c.Call == ReceiptCall.Delete && c.Succeeded && c.Seq < release.Seq));
    }

    public bool IsPoison(int serial) => PoisonSerials.Contains(serial);
}
