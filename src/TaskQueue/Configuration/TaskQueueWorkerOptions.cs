namespace TaskQueue;

/// <summary>Settings of a <see cref="TaskQueueWorker"/>; the queue, visibility timeout and backoff come from <see cref="TaskQueueOptions"/>.</summary>
public sealed class TaskQueueWorkerOptions
{
    /// <summary>Most tasks running at once, 1 to 1,000. Default 10.</summary>
    public int MaxConcurrentTasks { get; set; } = 10;

    /// <summary>Receives running at once, 1 to 50. Default 1: one long-polling receive of 10 keeps 10 handlers busy when tasks take more than a few milliseconds.</summary>
    public int PollerCount { get; set; } = 1;

    /// <summary>Long-poll wait of the worker's receives, 1 to 20 whole seconds. Default 20: an empty queue costs 3 requests a minute per poller.</summary>
    public TimeSpan ReceiveWaitTime { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// While tasks run, how long a poller that finds room for fewer messages than a batch (half of
    /// <see cref="MaxConcurrentTasks"/>, at most 10) waits for more before it receives what fits, 0 to 20 seconds. Default
    /// 20 ms. Longer saves receive requests when tasks end one by one (each receive is billed, full or not); shorter
    /// leaves run slots idle for less. Zero receives as soon as one slot is free.
    /// </summary>
    public TimeSpan ReceiveBatchingWindow { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>How long a finished task's delete may wait for nine more to share its DeleteMessageBatch call, 0 to 10 seconds. Default 200 ms.</summary>
    public TimeSpan DeleteFlushInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>On stop, how long running tasks may go on before their cancellation token is signalled, 0 to 1 hour. Default 30 seconds.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// When true, the visibility timeout of a task still running is extended before it ends, so a long
    /// task is not received again by another worker. Default true.
    /// </summary>
    public bool HeartbeatEnabled { get; set; } = true;

    /// <summary>
    /// With entity tracking, how often the worker looks in the dead-letter queue for tracked tasks that the queue's
    /// redrive policy moved there without a worker seeing it (their last attempt ended with the worker that ran it dying),
    /// so their batches still complete; 1 second to 1 hour. Default 1 minute: an empty DLQ costs one attribute read per look.
    /// </summary>
    public TimeSpan DeadLetterCheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Longest pause after failed receives (throttling, server down), doubling from 1 second. Default 30 seconds.</summary>
    public TimeSpan MaxErrorBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Flow control per task name: concurrency and rate limits (see <see cref="TaskLimit"/>). Tasks of names not listed
    /// (and messages that name no task) are not limited beyond <see cref="MaxConcurrentTasks"/>. The name is the message's
    /// <c>task_name</c> attribute, which the worker's receives then ask for, else its body's: a stored body's pointer
    /// without the attribute names no task before its fetch, so it is not limited (logged once). A task waiting for its permit holds
    /// no run slot; up to <see cref="MaxConcurrentTasks"/> such tasks also give back their receive slot, so the worker keeps
    /// receiving other names' tasks (it then holds at most twice <see cref="MaxConcurrentTasks"/> messages).
    /// </summary>
    public Dictionary<string, TaskLimit> TaskLimits { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// While the worker is paused (<see cref="TaskQueueWorker.Pause"/>), how long it keeps the messages it received but did
    /// not start, 0 to 1 hour, before it releases them (visibility 0) for other workers. Default 30 seconds. A resume within
    /// this time runs them in order without costing them a receive; each release costs its message one.
    /// </summary>
    public TimeSpan PauseReleaseAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>What happens to a task with no registered handler. Default <see cref="UnknownTaskHandling.FailAndLeaveForRedrive"/>.</summary>
    public UnknownTaskHandling UnknownTaskHandling { get; set; } = UnknownTaskHandling.FailAndLeaveForRedrive;

    /// <summary>
    /// Where the host shares receiving by <see cref="QueuePriority.Strict"/> priority (<c>AddTaskQueuePriority</c>): this
    /// worker receives only while no worker of higher priority has work; -1,000 to 1,000, higher first. Default 0.
    /// </summary>
    public int Priority { get; set; }

    /// <summary>
    /// Where the host shares receiving by <see cref="QueuePriority.Weighted"/> priority (<c>AddTaskQueuePriority</c>): this
    /// worker's share of the messages received while several queues have work; 1 to 1,000. Default 1.
    /// </summary>
    public int Weight { get; set; } = 1;
}
