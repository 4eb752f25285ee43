namespace TaskQueue;

/// <summary>
/// Hears when an entity's enqueue batch has completed, once across all workers, and when one of its tasks is
/// dead-lettered. Registered with <c>AddTaskQueue().AddEntityCompletionHandler&lt;T&gt;()</c> or passed in an
/// <see cref="EntityTracking"/>. A handler that throws makes the worker try the announcement again (the task's message is
/// kept until it succeeds), so a handler must tolerate hearing of one completion twice: rare, after a worker died
/// between announcing and recording the announcement, and then with the same batch id and revision.
/// </summary>
public interface IEntityCompletionHandler
{
    /// <summary>Called once the last task of a batch has finished, completed or dead-lettered.</summary>
    /// <param name="batch">The batch: entity, batch id, revision, each task's state, attempts, last error and duration.</param>
    /// <param name="cancellationToken">Signalled when the worker stops.</param>
    /// <returns>A task that completes when the completion is handled.</returns>
    Task OnEntityCompletedAsync(EntityBatchStatus batch, CancellationToken cancellationToken);

    /// <summary>Called when a task of a batch has been moved to the dead-letter queue and recorded so. Does nothing unless overridden.</summary>
    /// <param name="fate">The task's fate: its batch, attempts and the reason.</param>
    /// <param name="cancellationToken">Signalled when the worker stops.</param>
    /// <returns>A task that completes when the event is handled.</returns>
    Task OnTaskDeadLetteredAsync(TaskFate fate, CancellationToken cancellationToken) => Task.CompletedTask;
}
