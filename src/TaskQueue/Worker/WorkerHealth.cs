using TaskQueue.Sqs;

namespace TaskQueue;

/// <summary>A snapshot of a worker's liveness, for health checks.</summary>
/// <param name="IsRunning">True between the start of <see cref="TaskQueueWorker.RunAsync"/> and the end of its shutdown.</param>
/// <param name="LastActivityAt">When a receive or a task last ended (or the worker started).</param>
/// <param name="ConsecutiveReceiveFailures">Receives failed in a row; 0 once one succeeds.</param>
/// <param name="Fault">The error no retry can fix that stopped the worker (no credentials, access denied, no such queue...); null otherwise.</param>
public sealed record WorkerHealth(bool IsRunning, DateTimeOffset LastActivityAt, int ConsecutiveReceiveFailures, SqsConfigurationException? Fault)
{
    /// <summary>True while the worker is paused (<see cref="TaskQueueWorker.Pause"/>): it receives and starts nothing until resumed.</summary>
    public bool IsPaused { get; init; }
}
