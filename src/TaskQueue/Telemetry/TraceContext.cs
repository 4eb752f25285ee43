using System.Diagnostics;

namespace TaskQueue;

/// <summary>Carries W3C trace context in message attributes, so a consumer span joins its producer's trace.</summary>
internal static class TraceContext
{
    /// <summary>Writes the activity's context into the attributes.</summary>
    public static void Inject(Activity activity, IDictionary<string, string> attributes)
    {
        attributes[TaskQueueDiagnostics.TraceParentAttribute] = activity.Id!;
        if (!string.IsNullOrEmpty(activity.TraceStateString))
        {
            attributes[TaskQueueDiagnostics.TraceStateAttribute] = activity.TraceStateString;
        }
    }

    /// <summary>Reads a producer's context from the attributes, whoever sent the message; default when there is none or it is malformed.</summary>
    public static ActivityContext Extract(IReadOnlyDictionary<string, string> attributes) =>
        attributes.TryGetValue(TaskQueueDiagnostics.TraceParentAttribute, out var traceParent)
        && ActivityContext.TryParse(traceParent, attributes.GetValueOrDefault(TaskQueueDiagnostics.TraceStateAttribute), isRemote: true, out var context)
            ? context
            : default;
}
