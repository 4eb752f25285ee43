namespace TaskQueue;

/// <summary>What happens to a message whose body is not a task message.</summary>
public enum PoisonMessageHandling
{
    /// <summary>Report it and leave it in the queue; the queue's redrive policy moves it to the DLQ after maxReceiveCount receives.</summary>
    LeaveForRedrive = 0,

    /// <summary>Send it to the dead-letter queue at once, then delete it from the source queue.</summary>
    MoveToDeadLetterQueue = 1,
}
