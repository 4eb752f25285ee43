using CsCheck;
using TaskQueue.Testing;

namespace TaskQueue.ModelTests.Scenarios;

/// <summary>CsCheck generators of scenarios: small queues, 1 to 4 workers, a few producers' calls, and faults.</summary>
public static class ScenarioGenerator
{
    private static readonly string[] Entities = ["doc-1", "doc-2", "doc-3", "doc-4"];
    private static readonly string[] TaskNames = ["ocr", "classify", "index"];

    private sealed record TaskDraw(Behaviour Behaviour, int Failures, int WorkMs, int HangPercentOfVisibility);

    private sealed record CallDraw(int Entity, int TaskMask, int AtPermille, TaskDraw[] Tasks);

    private static readonly Gen<Behaviour> Behaviours = Gen.Frequency(
        (50, Behaviour.Succeed),
        (20, Behaviour.FailThenSucceed),
        (8, Behaviour.AlwaysFail),
        (7, Behaviour.ThrowNonRetryable),
        (7, Behaviour.HangHonouringCancellation),
        (8, Behaviour.HangIgnoringCancellation));

    private static readonly Gen<TaskDraw> Tasks = Gen.Select(Behaviours, Gen.Int[1, 3], Gen.Int[0, 800], Gen.Int[150, 300],
        (b, f, w, h) => new TaskDraw(b, f, w, h));

    private static readonly Gen<CallDraw> Calls = Gen.Select(Gen.Int[0, 3], Gen.Int[1, 7], Gen.Int[0, 1000], Tasks.Array[3],
        (e, m, at, t) => new CallDraw(e, m, at, t));

    private static readonly Gen<(int AtPermille, int Group)> PoisonDraws = Gen.Select(Gen.Int[0, 1000], Gen.Int[0, 3]);

    private static readonly Gen<(int AtPermille, WorkerFaultKind Kind, int Slot, int StepSeconds)> FaultDraws =
        Gen.Select(Gen.Int[0, 1000], Gen.Enum<WorkerFaultKind>(), Gen.Int[0, 3], Gen.Int[-8, 8]);

    private static readonly Gen<CallFaultRates> CallFaults = Gen.Frequency(
        (3, Gen.Const(CallFaultRates.None)),
        (7, Gen.Select(Gen.Int[0, 10], Gen.Int[0, 10], Gen.Int[0, 10], (t, s, l) => new CallFaultRates(t / 100.0, s / 100.0, l / 100.0))));

    private static readonly Gen<(FlowLimits Limits, int PauseReleaseSeconds)> Flow = Gen.Select(
        Gen.Frequency((4, FlowLimits.None), (2, FlowLimits.OcrOneAtATime), (2, FlowLimits.ClassifyTwoASecond), (2, FlowLimits.All)), Gen.Int[0, 8]);

    private static readonly Gen<WorkerShape> Shapes = Gen.Select(
        Gen.Int[1, 8], Gen.Int[1, 2], Gen.Int[1, 3], Gen.Frequency((1, 0), (1, 50), (1, 200)), Gen.Int[0, 2], Flow,
        (c, p, w, d, s, f) => new WorkerShape(c, p, TimeSpan.FromSeconds(w), TimeSpan.FromMilliseconds(d), TimeSpan.FromSeconds(s), f.Limits, TimeSpan.FromSeconds(f.PauseReleaseSeconds)));

    private static readonly Gen<FifoReceiveMode> ReceiveModes = Gen.Frequency((4, FifoReceiveMode.SeveralPerGroup), (1, FifoReceiveMode.OnePerGroup));

    /// <summary>Scenarios of the profile; <paramref name="receiveMode"/> fixes the in-memory SQS's receive mode when given.</summary>
    public static Gen<Scenario> For(ScenarioProfile profile, FifoReceiveMode? receiveMode = null) =>
        Gen.Select(
            Gen.Int,
            receiveMode is { } fixedMode ? Gen.Const(fixedMode) : ReceiveModes,
            Gen.Select(Gen.Int[2, 5], Gen.Int[2, 6], Gen.Int[1, 4], Gen.Frequency((4, PoisonMessageHandling.LeaveForRedrive), (1, PoisonMessageHandling.MoveToDeadLetterQueue))),
            Shapes,
            Gen.Int[5, 30],
            CallFaults,
            Gen.Select(Calls.Array[1, 8], PoisonDraws.Array[0, 2], FaultDraws.Array[0, 6]),
            (seed, mode, queue, shape, phase, callFaults, plans) => Build(
                profile, seed, mode, queue, shape, TimeSpan.FromSeconds(phase), callFaults, plans.Item1, plans.Item2, plans.Item3));

    private static Scenario Build(
        ScenarioProfile profile,
        int seed,
        FifoReceiveMode mode,
        (int MaxReceiveCount, int VisibilitySeconds, int Workers, PoisonMessageHandling Poison) queue,
        WorkerShape shape,
        TimeSpan faultPhase,
        CallFaultRates callFaults,
        CallDraw[] calls,
        (int AtPermille, int Group)[] poisonDraws,
        (int AtPermille, WorkerFaultKind Kind, int Slot, int StepSeconds)[] faultDraws)
    {
        var visibility = TimeSpan.FromSeconds(queue.VisibilitySeconds);
        var serial = 0;
        var enqueues = calls
            .Select(c => new EnqueuePlan(
                At(faultPhase * 0.6, c.AtPermille),
                Entities[c.Entity],
                TaskNames.Where((_, i) => (c.TaskMask & (1 << i)) != 0)
                    .Select((name, i) => Task(++serial, name, c.Tasks[i], visibility))
                    .ToList()))
            .OrderBy(e => e.At)
            .ToList();

        var groups = enqueues.SelectMany(e => e.Tasks.Select(t => $"{e.EntityId}-{t.TaskName}")).Distinct().ToList();
        var poison = poisonDraws
            .Select(p => new PoisonPlan(At(faultPhase * 0.6, p.AtPermille), ++serial, p.Group == 0 || profile == ScenarioProfile.FailuresOnlyInLoneGroups
                ? $"poison-{serial}"
                : groups[p.Group % groups.Count]))
            .OrderBy(p => p.At)
            .ToList();

        if (profile == ScenarioProfile.FailuresOnlyInLoneGroups)
        {
            enqueues = KeepFailuresInLoneGroups(enqueues);
        }

        var faults = faultDraws
            .Where(f => f.Kind != WorkerFaultKind.ClockStep || f.StepSeconds != 0)
            .Select(f => new WorkerFault(At(faultPhase, f.AtPermille), f.Kind, f.Slot, TimeSpan.FromSeconds(f.StepSeconds)))
            .OrderBy(f => f.At)
            .ToList();

        return new Scenario(seed, mode, queue.MaxReceiveCount, visibility, queue.Poison, queue.Workers, shape, faultPhase, callFaults, enqueues, poison, faults);
    }

    private static TaskPlan Task(int serial, string name, TaskDraw draw, TimeSpan visibility) => new(
        serial, name, draw.Behaviour, draw.Failures, TimeSpan.FromMilliseconds(draw.WorkMs), visibility * (draw.HangPercentOfVisibility / 100.0));

    private static List<EnqueuePlan> KeepFailuresInLoneGroups(List<EnqueuePlan> enqueues)
    {
        var sizes = enqueues.SelectMany(e => e.Tasks.Select(t => $"{e.EntityId}-{t.TaskName}")).CountBy(g => g).ToDictionary();
        return enqueues
            .Select(e => e with
            {
                Tasks = e.Tasks
                    .Select(t => sizes[$"{e.EntityId}-{t.TaskName}"] > 1 && Fails(t.Behaviour) ? t with { Behaviour = Behaviour.Succeed } : t)
                    .ToList(),
            })
            .ToList();
    }

    private static bool Fails(Behaviour behaviour) =>
        behaviour is Behaviour.FailThenSucceed or Behaviour.AlwaysFail or Behaviour.ThrowNonRetryable;

    private static TimeSpan At(TimeSpan span, int permille) => TimeSpan.FromMilliseconds(Math.Round(span.TotalMilliseconds * permille / 1000));
}
