using TaskQueue.Sqs;

namespace TaskQueue;

/// <summary>
/// Counts the messages the worker may still take, so received messages never wait long in memory
/// while their visibility timeout runs. While messages are held it lets a poller receive a batch's worth of slots
/// (half the capacity, at most 10) at once, because many small receives cost as much as full ones; but only for the
/// batching window from the moment some room is free: past it, any free slot is enough, so slots do not sit idle while
/// tasks end one by one. With nothing held, one free slot is enough. A held message waiting for its task name's permit
/// may be parked: up to <c>capacity</c> parked messages give their slot back, so a throttled task name cannot fill the
/// worker and stop other names from being received.
/// </summary>
/// <param name="capacity">Most messages held at once.</param>
/// <param name="batchingWindow">How long room for less than a batch waits for more; zero: any free slot is enough at once.</param>
/// <param name="time">Runs the batching window's timer.</param>
internal sealed class CapacityGate(int capacity, TimeSpan batchingWindow, TimeProvider time) : IDisposable
{
    private readonly Lock _lock = new();
    private readonly int _batch = batchingWindow > TimeSpan.Zero ? Math.Clamp(capacity / 2, 1, SqsLimits.MaxBatchEntries) : 1;
    private int _free = capacity;
    private readonly int _parkLimit = capacity;
    private int _held;
    private int _parked;

    /// <summary>Ends the batching window; one timer, re-armed, made by the first window.</summary>
    private ITimer? _window;

    /// <summary>Where the batching window is: its timer runs exactly while it is <see cref="WindowState.Running"/>.</summary>
    private WindowState _windowState;

    private bool _disposed;

    /// <summary>What a poller waiting for room waits on; created by the first waiter, so a release nobody waits for costs nothing.</summary>
    private TaskCompletionSource? _freed;

    /// <summary>The smallest receive a waiting poller asks room for; <see cref="int.MaxValue"/> while none waits.</summary>
    private int _waitingMax = int.MaxValue;

    /// <summary>Called when the last held message has ended: a worker of lower priority may be waiting for that.</summary>
    public Action? Idled { get; set; }

    /// <summary>Whether any received message is still held (running, waiting, or parked).</summary>
    public bool IsHolding => Volatile.Read(ref _held) > 0;

    /// <summary>Waits for room, then takes up to <paramref name="max"/> slots for one receive.</summary>
    /// <returns>How many slots were taken, 1 to <paramref name="max"/>.</returns>
    public async Task<int> TakeAsync(int max, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task freed;
            lock (_lock)
            {
                if (_free >= Wanted(max))
                {
                    var taken = Math.Min(_free, max);
                    _free -= taken;
                    EndWindow();
                    return taken;
                }

                _waitingMax = Math.Min(_waitingMax, max);
                freed = (_freed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
                StartWindowIfRoom();
            }

            // The token wakes every waiter, as a release does, and each looks again: awaited as it is, with a registration
            // the token's source reuses, a wait costs no allocation beyond this method's own.
            var cancelled = cancellationToken.UnsafeRegister(static gate => ((CapacityGate)gate!).WakeWaiters(), this);
            try
            {
                await freed.ConfigureAwait(false);
            }
            finally
            {
                cancelled.Unregister();
            }

            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>The room a receive waits for now: a batch's worth while messages are held, one slot when none is or the batching window has passed.</summary>
    private int Wanted(int max) => _held == 0 || _windowState == WindowState.Passed ? 1 : Math.Min(_batch, max);

    /// <summary>Under the lock, with a poller waiting: starts the batching window once some room is free.</summary>
    private void StartWindowIfRoom()
    {
        if (_free == 0 || _windowState != WindowState.None || _disposed)
        {
            return;
        }

        _windowState = WindowState.Running;
        if (_window is null)
        {
            _window = time.CreateTimer(static gate => ((CapacityGate)gate!).WindowPassed(), this, batchingWindow, Timeout.InfiniteTimeSpan);
        }
        else
        {
            _window.Change(batchingWindow, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Under the lock, after a take: the next room starts a window of its own.</summary>
    private void EndWindow()
    {
        if (_windowState == WindowState.Running)
        {
            _window!.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        _windowState = WindowState.None;
    }

    private void WindowPassed()
    {
        lock (_lock)
        {
            if (_windowState != WindowState.Running)
            {
                // A take ended the window as the timer fired.
                return;
            }

            _windowState = WindowState.Passed;
        }

        Signal();
    }

    /// <summary>After a receive: the slots it did not fill come back, the filled ones are held by their messages.</summary>
    public void Received(int taken, int received)
    {
        lock (_lock)
        {
            _free += taken - received;
            _held += received;
        }

        Signal();
    }

    /// <summary>Held messages have ended: run, or released.</summary>
    /// <returns>True when no message is held any more.</returns>
    public bool Release(int count)
    {
        bool idle;
        lock (_lock)
        {
            _held -= count;
            _free += count;
            idle = _held == 0;
        }

        Signal();
        if (idle)
        {
            Idled?.Invoke();
        }

        return idle;
    }

    /// <summary>A held message starts waiting for its task name's permit: its slot is freed, unless the parked bound is reached.</summary>
    /// <returns>True when it was parked: <see cref="Unpark"/> follows when its wait ends.</returns>
    public bool Park()
    {
        lock (_lock)
        {
            if (_parked >= _parkLimit)
            {
                return false;
            }

            _parked++;
            _free++;
        }

        Signal();
        return true;
    }

    /// <summary>A parked message's wait has ended: it holds a slot again, even when none is free (receives then wait for one).</summary>
    public void Unpark()
    {
        lock (_lock)
        {
            _parked--;
            _free--;
        }
    }

    private void Signal()
    {
        TaskCompletionSource freed;
        lock (_lock)
        {
            // Held messages ending one by one free a slot each: a poller waiting for a batch's worth is woken once it is
            // there, not at each slot only to wait again.
            if (_freed is null || _free < Wanted(_waitingMax))
            {
                if (_freed is not null)
                {
                    StartWindowIfRoom();
                }

                return;
            }

            freed = TakeWaiters()!;
        }

        freed.TrySetResult();
    }

    /// <summary>Wakes every waiting poller to look at the room again: a waiter's token was cancelled.</summary>
    private void WakeWaiters()
    {
        TaskCompletionSource? freed;
        lock (_lock)
        {
            freed = TakeWaiters();
        }

        freed?.TrySetResult();
    }

    /// <summary>What the waiters wait on, under the lock; the next waiter makes a new one.</summary>
    private TaskCompletionSource? TakeWaiters()
    {
        var freed = _freed;
        _freed = null;
        _waitingMax = int.MaxValue;
        return freed;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _window?.Dispose();
            _windowState = WindowState.None;
        }
    }

    /// <summary>The batching window: none yet (no room, or taken since), running, or passed (any free slot is enough until the next take).</summary>
    private enum WindowState
    {
        None,
        Running,
        Passed,
    }
}
