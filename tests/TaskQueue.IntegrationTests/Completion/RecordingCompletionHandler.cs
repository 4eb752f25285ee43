using System.Collections.Concurrent;

namespace TaskQueue.IntegrationTests.Completion;

/// <summary>Records every completion and dead-letter event it hears; can be told to fail its next calls.</summary>
internal sealed class RecordingCompletionHandler : IEntityCompletionHandler
{
    private int _failures;

    public ConcurrentQueue<EntityBatchStatus> Completions { get; } = new();

    public ConcurrentQueue<TaskFate> DeadLetters { get; } = new();

    /// <summary>Makes the next <paramref name="calls"/> completion announcements throw.</summary>
    public void FailNext(int calls) => Volatile.Write(ref _failures, calls);

    public Task OnEntityCompletedAsync(EntityBatchStatus batch, CancellationToken cancellationToken)
    {
        if (Interlocked.Decrement(ref _failures) >= 0)
        {
            throw new InvalidOperationException("completion handler failed, as the test asked");
        }

        Completions.Enqueue(batch);
        return Task.CompletedTask;
    }

    public Task OnTaskDeadLetteredAsync(TaskFate fate, CancellationToken cancellationToken)
    {
        DeadLetters.Enqueue(fate);
        return Task.CompletedTask;
    }
}
