namespace TaskQueue;

/// <summary>
/// Flow control of one task name in a worker (<see cref="TaskQueueWorkerOptions.TaskLimits"/>): how many of its tasks
/// may run at once and how many may start per period. A task waiting for its permit keeps its place: the tasks behind
/// it in its message group wait too (FIFO order holds), other groups and task names go on, and its message stays
/// hidden by the visibility heartbeat while it waits.
/// </summary>
public sealed class TaskLimit
{
    /// <summary>Most tasks of this name running at once in this worker, 1 to 1,000; null for no limit of its own. <see cref="TaskQueueWorkerOptions.MaxConcurrentTasks"/> still bounds all tasks together.</summary>
    public int? MaxConcurrency { get; set; }

    /// <summary>
    /// Most task starts of this name in any window of <see cref="RatePeriod"/> in this worker, 1 to 1,000,000; null for no
    /// rate limit. Each start holds one of these permits for one period: an idle name may start this many at once, and then
    /// one more as each start's period ends. Each attempt is a start, retries included.
    /// </summary>
    public int? RateLimit { get; set; }

    /// <summary>The period of <see cref="RateLimit"/>, 1 ms to 1 day. Default 1 second.</summary>
    public TimeSpan RatePeriod { get; set; } = TimeSpan.FromSeconds(1);
}
