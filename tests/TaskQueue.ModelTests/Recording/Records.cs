namespace TaskQueue.ModelTests.Recording;

/// <summary>A message SQS accepted into the task queue (whether or not its sender heard back).</summary>
public sealed record SentRecord(long Seq, TimeSpan At, string MessageId, int Serial, string GroupId, long SequenceNumber, string Sender, bool ResponseLost);

/// <summary>One message of one receive as SQS carried it out: hidden and counted, delivered to the worker or lost on the way.</summary>
public sealed record ReceiveRecord(long Seq, TimeSpan At, string Worker, string MessageId, int Serial, string ReceiptHandle, int ReceiveCount, bool Lost);

/// <summary>A delete or visibility change SQS carried out with a receipt handle (failed ones are kept too: they tell why a lease ended).</summary>
public sealed record ReceiptCallRecord(long Seq, TimeSpan At, string Worker, string ReceiptHandle, ReceiptCall Call, TimeSpan VisibilityTimeout, bool Succeeded, bool ResponseLost);

public enum ReceiptCall
{
    Delete,
    ChangeVisibility,
}

/// <summary>How a handler run ended.</summary>
public enum RunOutcome
{
    Running,
    Completed,
    Failed,
    Cancelled,
    Abandoned,
}

/// <summary>One run of a task's handler by one worker.</summary>
public sealed class RunRecord(long seq, TimeSpan at, string worker, string messageId, int serial, string groupId, int receiveCount)
{
    public long StartSeq { get; } = seq;

    public TimeSpan Start { get; } = at;

    public string Worker { get; } = worker;

    public string MessageId { get; } = messageId;

    public int Serial { get; } = serial;

    public string GroupId { get; } = groupId;

    public int ReceiveCount { get; } = receiveCount;

    public long EndSeq { get; set; } = long.MaxValue;

    public TimeSpan? End { get; set; }

    public RunOutcome Outcome { get; set; } = RunOutcome.Running;
}

/// <summary>What happened to a worker instance.</summary>
public enum WorkerEventKind
{
    Started,
    Crashed,
    StopRequested,
    Stopped,
    ClockStepped,
    Paused,
    Resumed,
}

public sealed record WorkerEvent(long Seq, TimeSpan At, string Worker, WorkerEventKind Kind, string Detail);

/// <summary>A fault the suite injected into one SQS call.</summary>
public sealed record FaultRecord(long Seq, TimeSpan At, string Worker, string Operation, string Fault);

/// <summary>
/// One call of a worker to the entity ledger: what it is about (the batch id, or the entity id for a read of an entity's
/// batches), what it asked and how it ended.
/// </summary>
public sealed record LedgerCallRecord(long Seq, TimeSpan At, string Worker, string Subject, string Call, string Outcome);

/// <summary>What a producer was told about one task of its enqueue call.</summary>
public sealed record EnqueueReport(long Seq, TimeSpan At, int Serial, string? MessageId, string? Error);

/// <summary>An entity completion a worker announced: the batch as the ledger summarised it.</summary>
public sealed record Announcement(long Seq, TimeSpan At, string Worker, EntityBatchStatus Batch);
