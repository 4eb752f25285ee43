using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using TaskQueue.Sqs;

namespace TaskQueue;

/// <summary>
/// The queue is reachable (its attributes can be read): Healthy; the DLQ holds more than
/// <see cref="TaskQueueHealthCheckOptions.DeadLetterThreshold"/> dead letters: Degraded; SQS cannot be reached, or the
/// setup is wrong (no credentials, access denied, no such queue, an endpoint that is not SQS): the registration's failure status (Unhealthy by default), with the reason
/// and what to do. Registered by <c>services.AddHealthChecks().AddTaskQueue()</c>.
/// </summary>
/// <param name="handler">The handler whose queue is checked.</param>
/// <param name="options">The thresholds.</param>
internal sealed class TaskQueueHealthCheck(TaskQueueHandler handler, IOptions<TaskQueueHealthCheckOptions> options) : IHealthCheck
{
    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        QueueStatus status;
        try
        {
            status = await handler.GetQueueStatusAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (TaskQueueException ex)
        {
            return new HealthCheckResult(context.FailureStatus(), $"Queue {handler.Options.QueueUrl} is not reachable: {ex.Message}", ex);
        }

        var data = new Dictionary<string, object>
        {
            ["available"] = status.Available,
            ["in_flight"] = status.InFlight,
            ["delayed"] = status.Delayed,
        };
        if (status.DeadLetters is { } deadLetters)
        {
            data["dead_letters"] = deadLetters;
            if (deadLetters > options.Value.DeadLetterThreshold)
            {
                return HealthCheckResult.Degraded(
                    $"{deadLetters} dead letters, over the threshold of {options.Value.DeadLetterThreshold}: peek at them (taskqueue dlq peek) and redrive after a fix.",
                    data: data);
            }
        }

        return HealthCheckResult.Healthy($"Queue reachable: {status.Available} available, {status.InFlight} in flight.", data);
    }
}
