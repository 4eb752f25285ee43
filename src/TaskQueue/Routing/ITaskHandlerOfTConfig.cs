
namespace TaskQueue;

/// <summary>
/// Runs the tasks of one task name with their config bound to <typeparamref name="TConfig"/>, and decides what becomes
/// of each. Registered with <c>AddHandler&lt;THandler, TConfig&gt;</c> and resolved from dependency injection in a scope
/// of its own for each message. A task whose config does not bind goes to the dead-letter queue without running.
/// </summary>
/// <typeparam name="TConfig">The type the task's <c>task_config</c> is read into.</typeparam>
public interface ITaskHandler<in TConfig>
{
    /// <summary>Runs one task.</summary>
    /// <param name="task">The task: entity id, task name, raw config and metadata.</param>
    /// <param name="config">The task's config, bound to <typeparamref name="TConfig"/>.</param>
    /// <param name="context">Message id, attempt and the cancellation token that signals shutdown, a lost lease or the task's timeout.</param>
    /// <returns>
    /// What becomes of the task: <see cref="TaskOutcome.Completed"/>, <see cref="TaskOutcome.RetryAfter"/> or
    /// <see cref="TaskOutcome.DeadLetter"/>. Throwing fails the task: it is retried with the backoff, or goes to the
    /// dead-letter queue at once when the exception is registered as non-retryable.
    /// </returns>
    Task<TaskOutcome> HandleAsync(TaskMessage task, TConfig config, TaskContext context);
}
