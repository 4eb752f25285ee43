namespace TaskQueue;

/// <summary>Which entity events go to the SNS topic, or which a subscription receives.</summary>
[Flags]
public enum EntityEvents
{
    /// <summary>None.</summary>
    None = 0,

    /// <summary><c>entity.completed</c>: an enqueue batch's last task finished, completed or dead-lettered; once per batch revision.</summary>
    EntityCompleted = 1,

    /// <summary><c>task.dead_lettered</c>: a task of a batch was moved to the dead-letter queue.</summary>
    TaskDeadLettered = 2,

    /// <summary>Both.</summary>
    All = EntityCompleted | TaskDeadLettered,
}
