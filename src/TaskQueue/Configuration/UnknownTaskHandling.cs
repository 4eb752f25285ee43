namespace TaskQueue;

/// <summary>What the worker does with a task whose name has no registered handler.</summary>
public enum UnknownTaskHandling
{
    /// <summary>Treat it as a failure: it is retried with backoff and lands in the DLQ after maxReceiveCount (a handler deployed meanwhile can still run it).</summary>
    FailAndLeaveForRedrive = 0,

    /// <summary>Send it to the dead-letter queue at once, then delete it from the source queue.</summary>
    MoveToDeadLetterQueue = 1,
}
