using TaskQueue.Testing;

namespace TaskQueue.ModelTests.Scenarios;

/// <summary>What a task's handler does on each run.</summary>
public enum Behaviour
{
    Succeed,
    FailThenSucceed,
    AlwaysFail,
    ThrowNonRetryable,
    HangHonouringCancellation,
    HangIgnoringCancellation,
}

/// <summary>One task of an enqueue call: a unique serial in its config ties every run and dead letter back to it.</summary>
public sealed record TaskPlan(int Serial, string TaskName, Behaviour Behaviour, int Failures, TimeSpan Work, TimeSpan Hang);

/// <summary>One EnqueueTasksAsync call of a producer.</summary>
public sealed record EnqueuePlan(TimeSpan At, string EntityId, IReadOnlyList<TaskPlan> Tasks);

/// <summary>A body that is not a task message, sent raw by another producer, into its own group or a task's.</summary>
public sealed record PoisonPlan(TimeSpan At, int Serial, string GroupId)
{
    public string Body => $"not a task message #{Serial}";
}

/// <summary>Faults that happen to a worker at a moment of the scenario.</summary>
public enum WorkerFaultKind
{
    /// <summary>The worker's process dies: its client black-holes every call and it is abandoned without a release.</summary>
    Crash,

    /// <summary>A fresh worker starts in the slot when the one there crashed or stopped.</summary>
    Restart,

    /// <summary>The worker is stopped gracefully.</summary>
    Stop,

    /// <summary>The worker's wall clock jumps by <see cref="WorkerFault.ClockStep"/> (its monotonic clock does not).</summary>
    ClockStep,

    /// <summary>The worker is paused: no receives, no starts; what it holds past its bound is released.</summary>
    Pause,

    /// <summary>A paused worker resumes.</summary>
    Resume,
}

/// <summary>One generated worker fault.</summary>
public sealed record WorkerFault(TimeSpan At, WorkerFaultKind Kind, int Slot, TimeSpan ClockStep);

/// <summary>Chances, per SQS call of a worker, that it fails before reaching the queue or after it was carried out (response lost).</summary>
public sealed record CallFaultRates(double ThrottledBefore, double ServerErrorBefore, double ResponseLost)
{
    public static readonly CallFaultRates None = new(0, 0, 0);

    public bool Any => ThrottledBefore > 0 || ServerErrorBefore > 0 || ResponseLost > 0;
}

/// <summary>Per-task-name limits a scenario's workers run with.</summary>
public enum FlowLimits
{
    None,

    /// <summary>ocr one at a time.</summary>
    OcrOneAtATime,

    /// <summary>classify at most 2 starts a second.</summary>
    ClassifyTwoASecond,

    /// <summary>ocr one at a time, classify 2 starts a second, index 2 at once and 3 starts in 2 s.</summary>
    All,
}

/// <summary>The worker settings every worker of a scenario runs with.</summary>
public sealed record WorkerShape(
    int MaxConcurrentTasks, int PollerCount, TimeSpan ReceiveWaitTime, TimeSpan DeleteFlushInterval, TimeSpan ShutdownTimeout,
    FlowLimits Limits = FlowLimits.None, TimeSpan PauseReleaseAfter = default)
{
    public TaskQueueWorkerOptions ToOptions() => WithLimits(new()
    {
        MaxConcurrentTasks = MaxConcurrentTasks,
        PollerCount = PollerCount,
        ReceiveWaitTime = ReceiveWaitTime,
        DeleteFlushInterval = DeleteFlushInterval,
        ShutdownTimeout = ShutdownTimeout,
        HeartbeatEnabled = true,
        MaxErrorBackoff = TimeSpan.FromSeconds(4),
        DeadLetterCheckInterval = TimeSpan.FromSeconds(5),
        PauseReleaseAfter = PauseReleaseAfter,
    });

    private TaskQueueWorkerOptions WithLimits(TaskQueueWorkerOptions options)
    {
        if (Limits is FlowLimits.OcrOneAtATime or FlowLimits.All)
        {
            options.TaskLimits["ocr"] = new TaskLimit { MaxConcurrency = 1 };
        }

        if (Limits is FlowLimits.ClassifyTwoASecond or FlowLimits.All)
        {
            options.TaskLimits["classify"] = new TaskLimit { RateLimit = 2 };
        }

        if (Limits is FlowLimits.All)
        {
            options.TaskLimits["index"] = new TaskLimit { MaxConcurrency = 2, RateLimit = 3, RatePeriod = TimeSpan.FromSeconds(2) };
        }

        return options;
    }
}

/// <summary>A whole generated scenario: the queue, the workers, what producers send, and the faults.</summary>
public sealed record Scenario(
    int Seed,
    FifoReceiveMode ReceiveMode,
    int MaxReceiveCount,
    TimeSpan VisibilityTimeout,
    PoisonMessageHandling PoisonHandling,
    int Workers,
    WorkerShape Shape,
    TimeSpan FaultPhase,
    CallFaultRates CallFaults,
    IReadOnlyList<EnqueuePlan> Enqueues,
    IReadOnlyList<PoisonPlan> Poison,
    IReadOnlyList<WorkerFault> WorkerFaults)
{
    public IEnumerable<TaskPlan> Tasks => Enqueues.SelectMany(e => e.Tasks);

    public override string ToString() => ScenarioText.Describe(this);
}
