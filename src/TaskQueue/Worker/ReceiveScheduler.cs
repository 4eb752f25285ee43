namespace TaskQueue;

/// <summary>
/// Shares receiving between the workers of one host by <see cref="QueuePriority"/>: each worker asks for its turn before a
/// receive and reports what the receive brought. A worker with no work never holds another back, so an idle queue of
/// high priority (empty long polls) lets the others receive. Without a scheduler the workers receive as they please.
/// </summary>
internal sealed class ReceiveScheduler(QueuePriority mode)
{
    private readonly Lock _lock = new();
    private readonly List<ReceiveTurn> _members = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The rule in force.</summary>
    public QueuePriority Mode => mode;

    /// <summary>Adds a worker; it is assumed to have work until a receive shows otherwise, so a full queue of high priority goes first from the start.</summary>
    /// <param name="priority">Higher goes first in <see cref="QueuePriority.Strict"/>.</param>
    /// <param name="weight">Its share in <see cref="QueuePriority.Weighted"/>.</param>
    /// <param name="isHolding">Whether it holds messages not yet finished.</param>
    /// <param name="isPaused">Whether it is paused: a paused worker has no work to claim.</param>
    /// <returns>The worker's turn.</returns>
    public ReceiveTurn Join(int priority, int weight, Func<bool> isHolding, Func<bool> isPaused)
    {
        var turn = new ReceiveTurn(this, priority, weight, isHolding, isPaused);
        lock (_lock)
        {
            turn.Share = _members.Where(m => m.HasWork).Select(m => m.Share).DefaultIfEmpty(0).Min();
            _members.Add(turn);
        }

        return turn;
    }

    /// <summary>Waits until <paramref name="turn"/> may start a receive.</summary>
    public async Task WaitAsync(ReceiveTurn turn, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                if (TryEnter(turn))
                {
                    return;
                }

                changed = _changed.Task;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Whether <paramref name="turn"/> may start a receive now; the caller holds the lock, or is a test.</summary>
    internal bool TryEnter(ReceiveTurn turn)
    {
        lock (_lock)
        {
            var others = _members.Where(m => m != turn && m.HasWork).ToList();
            if (mode == QueuePriority.Strict)
            {
                return !others.Exists(m => m.Priority > turn.Priority);
            }

            if (others.Count == 0)
            {
                return true;
            }

            var least = others.Min(m => m.Share);
            if (!turn.HasWork)
            {
                // Work coming back after a lull claims no share for the time it had none.
                turn.Share = Math.Max(turn.Share, least);
            }

            return turn.Share <= least;
        }
    }

    /// <summary>A receive of <paramref name="turn"/> brought <paramref name="count"/> messages (0 when it failed).</summary>
    public void Received(ReceiveTurn turn, int count)
    {
        lock (_lock)
        {
            turn.LastReceived = count;
            turn.Share += (double)count / turn.Weight;
        }

        Changed();
    }

    /// <summary>A worker stopped: it holds no one back any more.</summary>
    public void Leave(ReceiveTurn turn)
    {
        lock (_lock)
        {
            _members.Remove(turn);
        }

        Changed();
    }

    /// <summary>Something another worker waits on may have changed (a pause, a resume, the last held message ended).</summary>
    public void Changed()
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }
}
