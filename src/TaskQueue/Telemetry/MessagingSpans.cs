using System.Diagnostics;
using TaskQueue.Sqs;

namespace TaskQueue;

/// <summary>Starts producer and consumer spans with the OpenTelemetry messaging attributes, and records their end.</summary>
internal static class MessagingSpans
{
    private const string System = "aws_sqs";

    /// <summary>A producer span for one task; null when nobody listens.</summary>
    public static Activity? StartSend(string queueUrl, string entityId, string taskName, string groupId)
    {
        // The spans of one enqueue are siblings under the caller's span, not a chain of children.
        var caller = Activity.Current;
        var activity = TaskQueueInstruments.Source.StartActivity($"send {QueueName(queueUrl)}", ActivityKind.Producer);
        Activity.Current = caller;
        if (activity is { IsAllDataRequested: true })
        {
            SetCommon(activity, queueUrl, "send", entityId, taskName);
            activity.SetTag("messaging.message.conversation_id", groupId);
        }

        return activity;
    }

    /// <summary>A consumer span for one received message, a child of the producer's context when the message carries one.</summary>
    public static Activity? StartProcess(string queueUrl, ReceivedMessage message, TaskMessage task)
    {
        if (!TaskQueueInstruments.Source.HasListeners())
        {
            // Nobody listens: no span to name, and no parent to read from the message.
            return null;
        }

        var parent = TraceContext.Extract(message.Attributes);
        var activity = TaskQueueInstruments.Source.StartActivity($"process {QueueName(queueUrl)}", ActivityKind.Consumer, parent);
        if (activity is { IsAllDataRequested: true })
        {
            SetCommon(activity, queueUrl, "process", task.EntityId, task.TaskName);
            activity.SetTag("messaging.message.id", message.MessageId);
            activity.SetTag("messaging.message.conversation_id", message.MessageGroupId);
            activity.SetTag("messaging.aws_sqs.receive_count", message.ReceiveCount);
        }

        return activity;
    }

    /// <summary>Marks the span failed and records the exception as an event, as the OpenTelemetry conventions ask.</summary>
    public static void RecordFailure(Activity? activity, Exception exception)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetStatus(ActivityStatusCode.Error, exception.Message);
        activity.SetTag("error.type", exception.GetType().FullName);
        activity.AddEvent(new ActivityEvent("exception", tags: new ActivityTagsCollection
        {
            ["exception.type"] = exception.GetType().FullName,
            ["exception.message"] = exception.Message,
            ["exception.stacktrace"] = exception.ToString(),
        }));
    }

    /// <summary>The tag list of a task's metrics.</summary>
    public static TagList TaskTags(string taskName) => new() { { "taskqueue.task_name", taskName } };

    private static void SetCommon(Activity activity, string queueUrl, string operation, string entityId, string taskName)
    {
        activity.SetTag("messaging.system", System);
        activity.SetTag("messaging.destination.name", QueueName(queueUrl));
        activity.SetTag("messaging.operation.type", operation);
        activity.SetTag("messaging.operation.name", operation);
        activity.SetTag("taskqueue.entity_id", entityId);
        activity.SetTag("taskqueue.task_name", taskName);
    }

    private static string QueueName(string queueUrl) => queueUrl[(queueUrl.LastIndexOf('/') + 1)..];
}
