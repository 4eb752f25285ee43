namespace TaskQueue;

/// <summary>Thresholds of the TaskQueue health checks.</summary>
public sealed class TaskQueueHealthCheckOptions
{
    /// <summary>The queue check reports Degraded when the DLQ holds more dead letters than this. Default 0: any dead letter needs a look.</summary>
    public long DeadLetterThreshold { get; set; }

    /// <summary>
    /// The worker check reports Unhealthy when its loop has shown no sign of life (a receive ended, a task ended)
    /// for this long while running. Default 2 minutes: several 20-second long polls.
    /// </summary>
    public TimeSpan MaxWorkerSilence { get; set; } = TimeSpan.FromMinutes(2);
}
