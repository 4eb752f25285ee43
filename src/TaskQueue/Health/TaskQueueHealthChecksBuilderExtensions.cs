using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using TaskQueue;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the TaskQueue health checks; their thresholds are <see cref="TaskQueueHealthCheckOptions"/>.</summary>
public static class TaskQueueHealthChecksBuilderExtensions
{
    /// <summary>
    /// Checks the queue of the registered <see cref="TaskQueueHandler"/>: reachable (its attributes can be read): Healthy;
    /// the DLQ holds more than <see cref="TaskQueueHealthCheckOptions.DeadLetterThreshold"/> dead letters: Degraded; SQS
    /// cannot be reached or the setup is wrong: <paramref name="failureStatus"/>, with the reason and what to do.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The check's name. Default <c>taskqueue</c>.</param>
    /// <param name="failureStatus">Reported when the queue cannot be read; default <see cref="HealthStatus.Unhealthy"/>.</param>
    /// <param name="tags">Tags to filter the check by, e.g. <c>ready</c>.</param>
    /// <param name="timeout">How long the check may take; default none.</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddTaskQueue(
        this IHealthChecksBuilder builder,
        string name = "taskqueue",
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null,
        TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<TaskQueueHealthCheckOptions>();
        return builder.Add(new HealthCheckRegistration(
            name,
            sp => new TaskQueueHealthCheck(sp.GetRequiredService<TaskQueueHandler>(), sp.GetRequiredService<IOptions<TaskQueueHealthCheckOptions>>()),
            failureStatus,
            tags,
            timeout));
    }

    /// <summary>
    /// Checks the registered <see cref="TaskQueueWorker"/>: running and polling: Healthy; its receives failing (it backs
    /// off and retries): Degraded; not running, stopped by an error no retry can fix, or silent for longer than
    /// <see cref="TaskQueueHealthCheckOptions.MaxWorkerSilence"/>: <paramref name="failureStatus"/>.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The check's name. Default <c>taskqueue-worker</c>.</param>
    /// <param name="failureStatus">Reported when the worker is not working; default <see cref="HealthStatus.Unhealthy"/>.</param>
    /// <param name="tags">Tags to filter the check by, e.g. <c>live</c>.</param>
    /// <param name="timeout">How long the check may take; default none.</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddTaskQueueWorker(
        this IHealthChecksBuilder builder,
        string name = "taskqueue-worker",
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null,
        TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<TaskQueueHealthCheckOptions>();
        return builder.Add(new HealthCheckRegistration(
            name,
            sp => new TaskQueueWorkerHealthCheck(
                sp.GetRequiredService<TaskQueueWorker>(),
                sp.GetRequiredService<IOptions<TaskQueueHealthCheckOptions>>(),
                sp.GetService<TimeProvider>() ?? TimeProvider.System),
            failureStatus,
            tags,
            timeout));
    }
}
