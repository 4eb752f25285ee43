namespace TaskQueue;

/// <summary>The outcome of an enqueue call, task by task, in the order the tasks were given.</summary>
/// <param name="EntityId">The entity the tasks belong to.</param>
/// <param name="Tasks">One outcome per task.</param>
public sealed record EnqueueResult(string EntityId, IReadOnlyList<TaskEnqueueOutcome> Tasks)
{
    /// <summary>True when every task was sent.</summary>
    public bool AllSucceeded => Tasks.All(t => t.Succeeded);

    /// <summary>The tasks SQS did not accept after every retry.</summary>
    public IEnumerable<TaskEnqueueOutcome> Failed => Tasks.Where(t => !t.Succeeded);
}
