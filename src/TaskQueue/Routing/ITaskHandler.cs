
namespace TaskQueue;

/// <summary>
/// Runs the tasks of one task name. Registered with
/// <see cref="Microsoft.Extensions.DependencyInjection.TaskQueueBuilder.AddHandler{THandler}(string, TimeSpan?)"/> and resolved from dependency
/// injection in a scope of its own for each message.
/// </summary>
public interface ITaskHandler
{
    /// <summary>Runs one task. Returning means success (the message is deleted); throwing means failure (it is retried with backoff). A handler that chooses a retry delay or a dead letter implements <see cref="ITaskHandler{TConfig}"/> instead.</summary>
    /// <param name="task">The task: entity id, task name, config and metadata.</param>
    /// <param name="context">Message id, receive count and the cancellation token that signals shutdown.</param>
    /// <returns>A task that completes when the work is done.</returns>
    Task HandleAsync(TaskMessage task, TaskContext context);
}
