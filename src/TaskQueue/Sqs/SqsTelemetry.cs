using System.Diagnostics.Metrics;
using System.Reflection;

namespace TaskQueue.Sqs;

/// <summary>
/// The library's one Meter, here at the bottom of the library so the seam's AWS client can count its requests without
/// depending on what is built on top of it; the other instruments are created on it by <c>TaskQueueInstruments</c>.
/// </summary>
internal static class SqsTelemetry
{
    /// <summary>The name of the library's ActivitySource and Meter.</summary>
    public const string Name = "TaskQueue";

    public static readonly string Version = typeof(SqsTelemetry).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    public static readonly Meter Meter = new(Name, Version);

    public static readonly Counter<long> Requests = Meter.CreateCounter<long>(
        "taskqueue.sqs.requests", "{request}", "Requests sent to SQS by action: each one is billed.");
}
