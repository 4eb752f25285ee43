namespace TaskQueue;

/// <summary>One worker's place in a <see cref="ReceiveScheduler"/>.</summary>
internal sealed class ReceiveTurn(ReceiveScheduler scheduler, int priority, int weight, Func<bool> isHolding, Func<bool> isPaused)
{
    /// <summary>Higher goes first in <see cref="QueuePriority.Strict"/>.</summary>
    public int Priority => priority;

    /// <summary>The share of receiving in <see cref="QueuePriority.Weighted"/>.</summary>
    public int Weight => weight;

    /// <summary>Messages its last receive brought; -1 before the first, which counts as work.</summary>
    public int LastReceived { get; set; } = -1;

    /// <summary>Messages received divided by the weight: the worker furthest behind receives next.</summary>
    public double Share { get; set; }

    /// <summary>Not paused, and its last receive brought messages or it holds some.</summary>
    public bool HasWork => !isPaused() && (LastReceived != 0 || isHolding());

    /// <summary>Waits until this worker may start a receive.</summary>
    public Task WaitAsync(CancellationToken cancellationToken) => scheduler.WaitAsync(this, cancellationToken);

    /// <summary>Reports what the receive brought.</summary>
    public void Received(int count) => scheduler.Received(this, count);

    /// <summary>Tells the others a wait of theirs may be over.</summary>
    public void Changed() => scheduler.Changed();

    /// <summary>Leaves the scheduler when the worker stops.</summary>
    public void Leave() => scheduler.Leave(this);
}
