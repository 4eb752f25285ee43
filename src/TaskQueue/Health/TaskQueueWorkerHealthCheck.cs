using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace TaskQueue;

/// <summary>
/// The worker loop is running and polling: Healthy; paused, or its receives are failing (it backs off and retries): Degraded;
/// not running, stopped by an error no retry can fix (the reason says what to do), or silent for longer than
/// <see cref="TaskQueueHealthCheckOptions.MaxWorkerSilence"/>: the registration's failure status (Unhealthy by default).
/// Registered by <c>services.AddHealthChecks().AddTaskQueueWorker()</c>.
/// </summary>
/// <param name="worker">The worker to watch.</param>
/// <param name="options">The thresholds.</param>
/// <param name="timeProvider">The clock; the worker's own.</param>
internal sealed class TaskQueueWorkerHealthCheck(TaskQueueWorker worker, IOptions<TaskQueueHealthCheckOptions> options, TimeProvider timeProvider) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(worker);
        var health = worker.Health;
        if (health.Fault is { } fault)
        {
            return Task.FromResult(new HealthCheckResult(context.FailureStatus(), $"The worker stopped: {fault.Message}", fault));
        }

        if (!health.IsRunning)
        {
            return Task.FromResult(new HealthCheckResult(context.FailureStatus(), "The worker is not running."));
        }

        if (health.IsPaused)
        {
            // A paused worker is silent by design: its silence is not a stuck loop.
            return Task.FromResult(HealthCheckResult.Degraded("The worker is paused: it receives and starts no tasks until resumed."));
        }

        var silence = timeProvider.GetUtcNow() - health.LastActivityAt;
        if (silence > options.Value.MaxWorkerSilence)
        {
            return Task.FromResult(new HealthCheckResult(context.FailureStatus(), 
                $"The worker loop has shown no sign of life for {silence.TotalSeconds:0} s (limit {options.Value.MaxWorkerSilence.TotalSeconds:0} s)."));
        }

        return Task.FromResult(health.ConsecutiveReceiveFailures > 0
            ? HealthCheckResult.Degraded($"The last {health.ConsecutiveReceiveFailures} receives failed; the worker backs off and retries.")
            : HealthCheckResult.Healthy("The worker is polling."));
    }
}
