using System.Diagnostics;
using System.Diagnostics.Metrics;
using TaskQueue.Sqs;

namespace TaskQueue;

/// <summary>The library's one ActivitySource and one Meter, and every instrument on it.</summary>
internal static class TaskQueueInstruments
{
    public static readonly ActivitySource Source = new(TaskQueueDiagnostics.ActivitySourceName, SqsTelemetry.Version);

    public static readonly Meter Meter = SqsTelemetry.Meter;

    public static readonly Counter<long> TasksEnqueued = Meter.CreateCounter<long>(
        "taskqueue.tasks.enqueued", "{task}", "Tasks SQS accepted from an enqueue call.");

    public static readonly Counter<long> TasksSucceeded = Meter.CreateCounter<long>(
        "taskqueue.tasks.succeeded", "{task}", "Task runs whose handler succeeded.");

    public static readonly Counter<long> TasksFailed = Meter.CreateCounter<long>(
        "taskqueue.tasks.failed", "{task}", "Task runs whose handler threw, and poison messages (task name \"(poison)\").");

    public static readonly Counter<long> TasksDeadLettered = Meter.CreateCounter<long>(
        "taskqueue.tasks.dead_lettered", "{task}", "Messages TaskQueue moved to the dead-letter queue itself (poison, no handler); moves by the queue's redrive policy are SQS's and show in the DLQ depth.");

    public static readonly Histogram<double> TaskDuration = Meter.CreateHistogram<double>(
        "taskqueue.task.duration", "s", "How long a task's handler ran.");

    public static readonly Histogram<double> QueueLag = Meter.CreateHistogram<double>(
        "taskqueue.task.lag", "s", "From enqueue (the body's timestamp) to the start of a run.");

    public static readonly UpDownCounter<long> TasksInFlight = Meter.CreateUpDownCounter<long>(
        "taskqueue.tasks.in_flight", "{task}", "Task handlers running now.");

    public static readonly Counter<long> EntitiesCompleted = Meter.CreateCounter<long>(
        "taskqueue.entities.completed", "{batch}", "Enqueue batches whose every task finished, announced once (outcome: completed, or dead_lettered when a task was).");

    public static readonly Histogram<double> EntityCompletionTime = Meter.CreateHistogram<double>(
        "taskqueue.entity.completion_time", "s", "From an enqueue batch's enqueue to its last task finishing, for announced completions.");

    public static readonly Counter<long> SqsRequests = SqsTelemetry.Requests;

    public static readonly Counter<long> SnsRequests = Meter.CreateCounter<long>(
        "taskqueue.sns.requests", "{request}", "Requests sent to SNS by action (entity events, topic provisioning): each one is billed.");
}
