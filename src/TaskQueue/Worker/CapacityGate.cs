namespace TaskQueue.Worker;

/// <summary>
/// Counts the messages the worker may still take: a poller receives only as many as there are free
/// slots, so received messages never wait long in memory while their visibility timeout runs.
/// </summary>
internal sealed class CapacityGate(int capacity)
{
    private readonly object _lock = new();
    private int _free = capacity;
    private TaskCompletionSource _freed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Waits for at least one free slot, then takes up to <paramref name="max"/>.</summary>
    /// <returns>How many slots were taken, 1 to <paramref name="max"/>.</returns>
    public async Task<int> TakeAsync(int max, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task freed;
            lock (_lock)
            {
                if (_free > 0)
                {
                    var taken = Math.Min(_free, max);
                    _free -= taken;
                    return taken;
                }

                freed = _freed.Task;
            }

            await freed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Gives back slots: unused after a receive, or of messages that have ended.</summary>
    public void Return(int count)
    {
        if (count <= 0)
        {
            return;
        }

        TaskCompletionSource freed;
        lock (_lock)
        {
            _free += count;
            freed = _freed;
            _freed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        freed.TrySetResult();
    }
}
