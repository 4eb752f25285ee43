using TaskQueue.Sqs;

namespace TaskQueue;

/// <summary>
/// Names to subscribe to TaskQueue's telemetry: <c>AddSource(TaskQueueDiagnostics.ActivitySourceName)</c> and
/// <c>AddMeter(TaskQueueDiagnostics.MeterName)</c> in an OpenTelemetry set-up.
/// </summary>
public static class TaskQueueDiagnostics
{
    /// <summary>The ActivitySource of producer (enqueue) and consumer (process) spans.</summary>
    public const string ActivitySourceName = SqsTelemetry.Name;

    /// <summary>The Meter of task counters, duration and lag histograms, tasks in flight and SQS requests.</summary>
    public const string MeterName = SqsTelemetry.Name;

    /// <summary>Message attribute carrying the W3C trace context from producer to consumer.</summary>
    public const string TraceParentAttribute = "traceparent";

    /// <summary>Message attribute carrying the W3C trace state, when there is one.</summary>
    public const string TraceStateAttribute = "tracestate";
}
