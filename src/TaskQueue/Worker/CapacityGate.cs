using TaskQueue.Sqs;

namespace TaskQueue;

/// <summary>
/// Counts the messages the worker may still take, so received messages never wait long in memory
/// while their visibility timeout runs. While messages are held it lets a poller receive only once
/// a batch's worth of slots is free (half the capacity, at most 10): many small receives cost as
/// much as full ones. With nothing held, one free slot is enough. A held message waiting for its task name's permit
/// may be parked: up to <c>capacity</c> parked messages give their slot back, so a throttled task name cannot fill the
/// worker and stop other names from being received.
/// </summary>
internal sealed class CapacityGate(int capacity)
{
    private readonly object _lock = new();
    private readonly int _batch = Math.Clamp(capacity / 2, 1, SqsLimits.MaxBatchEntries);
    private int _free = capacity;
    private readonly int _parkLimit = capacity;
    private int _held;
    private int _parked;
    private TaskCompletionSource _freed = new(TaskCreationOptions.RunContinuationsAsynchronously);

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
                var wanted = _held == 0 ? 1 : Math.Min(_batch, max);
                if (_free >= wanted)
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
            freed = _freed;
            _freed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        freed.TrySetResult();
    }
}
