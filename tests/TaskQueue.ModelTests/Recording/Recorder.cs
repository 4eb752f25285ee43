using TaskQueue.ModelTests.Simulation;
using TaskQueue.Sqs;

namespace TaskQueue.ModelTests.Recording;

/// <summary>
/// Everything observable in a scenario, in the order it happened (one sequence number across all records) and with
/// its fake time: sends, receives, deletes, visibility changes, handler runs, worker events, injected faults.
/// </summary>
public sealed class Recorder(SimulatedTime time)
{
    private readonly object _lock = new();
    private long _seq;

    public List<SentRecord> Sent { get; } = [];

    public List<ReceiveRecord> Receives { get; } = [];

    public List<ReceiptCallRecord> ReceiptCalls { get; } = [];

    public List<RunRecord> Runs { get; } = [];

    public List<WorkerEvent> WorkerEvents { get; } = [];

    public List<FaultRecord> Faults { get; } = [];

    public List<EnqueueReport> EnqueueReports { get; } = [];

    /// <summary>Every ledger call about a batch, as it ended (a crashed worker's hanging calls never end).</summary>
    public List<LedgerCallRecord> LedgerCalls { get; } = [];

    /// <summary>Each enqueue call's batch id and the serials of its tasks.</summary>
    public Dictionary<string, IReadOnlyList<int>> Batches { get; } = [];

    /// <summary>Every entity completion a worker announced, in order.</summary>
    public List<Announcement> Announcements { get; } = [];

    /// <summary>Serials the workers themselves copied to the DLQ (poison moves, dead-letter paths).</summary>
    public List<(long Seq, TimeSpan At, string Worker, int Serial)> DeadLetterCopies { get; } = [];

    public void RecordSent(string sender, OutgoingMessage message, SentMessage sent, bool responseLost) => Add(
        Sent, seq => new SentRecord(seq, Now, sent.MessageId, MessageBodies.SerialOf(message.Body), message.MessageGroupId!, long.Parse(sent.SequenceNumber!, System.Globalization.CultureInfo.InvariantCulture), sender, responseLost));

    public void RecordDeadLetterCopy(string worker, OutgoingMessage message) => Add(
        DeadLetterCopies, seq => (seq, Now, worker, MessageBodies.SerialOf(message.Body)));

    public void RecordReceive(string worker, IReadOnlyList<ReceivedMessage> messages, bool lost)
    {
        lock (_lock)
        {
            foreach (var m in messages)
            {
                Receives.Add(new ReceiveRecord(++_seq, Now, worker, m.MessageId, MessageBodies.SerialOf(m.Body), m.ReceiptHandle, m.ReceiveCount, lost));
            }
        }
    }

    public void RecordReceiptCall(string worker, string receiptHandle, ReceiptCall call, TimeSpan visibilityTimeout, bool succeeded, bool responseLost) => Add(
        ReceiptCalls, seq => new ReceiptCallRecord(seq, Now, worker, receiptHandle, call, visibilityTimeout, succeeded, responseLost));

    public RunRecord StartRun(string worker, string messageId, int serial, string groupId, int receiveCount)
    {
        lock (_lock)
        {
            var run = new RunRecord(++_seq, Now, worker, messageId, serial, groupId, receiveCount);
            Runs.Add(run);
            return run;
        }
    }

    /// <summary>Ends a run, unless it already ended (a crash abandons the runs of its worker).</summary>
    public void EndRun(RunRecord run, RunOutcome outcome)
    {
        lock (_lock)
        {
            if (run.Outcome != RunOutcome.Running)
            {
                return;
            }

            run.Outcome = outcome;
            run.End = Now;
            run.EndSeq = ++_seq;
        }
    }

    /// <summary>Records a crash and abandons the worker's runs: a dead process finishes nothing.</summary>
    public void RecordCrash(string worker)
    {
        RecordWorker(worker, WorkerEventKind.Crashed, string.Empty);
        lock (_lock)
        {
            foreach (var run in Runs.Where(r => r.Worker == worker && r.Outcome == RunOutcome.Running))
            {
                run.Outcome = RunOutcome.Abandoned;
                run.End = Now;
                run.EndSeq = ++_seq;
            }
        }
    }

    public void RecordWorker(string worker, WorkerEventKind kind, string detail) => Add(
        WorkerEvents, seq => new WorkerEvent(seq, Now, worker, kind, detail));

    public void RecordFault(string worker, string operation, string fault) => Add(
        Faults, seq => new FaultRecord(seq, Now, worker, operation, fault));

    public void RecordLedgerCall(string worker, string subject, string call, string outcome) => Add(
        LedgerCalls, seq => new LedgerCallRecord(seq, Now, worker, subject, call, outcome));

    public void RecordEnqueueReport(int serial, string? messageId, string? error) => Add(
        EnqueueReports, seq => new EnqueueReport(seq, Now, serial, messageId, error));

    public void RecordBatch(string batchId, IReadOnlyList<int> serials)
    {
        lock (_lock)
        {
            Batches[batchId] = serials;
        }
    }

    public void RecordAnnouncement(string worker, EntityBatchStatus batch) => Add(
        Announcements, seq => new Announcement(seq, Now, worker, batch));

    public List<RunRecord> OpenRuns()
    {
        lock (_lock)
        {
            return Runs.Where(r => r.Outcome == RunOutcome.Running).ToList();
        }
    }

    private TimeSpan Now => time.Elapsed;

    private void Add<T>(List<T> list, Func<long, T> create)
    {
        lock (_lock)
        {
            list.Add(create(++_seq));
        }
    }
}
