using System.Globalization;
using System.Text;

namespace TaskQueue.ModelTests.Scenarios;

/// <summary>A scenario as a reader wants it in a failure message: settings, then the timeline of what was planned.</summary>
public static class ScenarioText
{
    public static string Describe(Scenario s)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"scenario seed {s.Seed}: {s.ReceiveMode}, maxReceiveCount {s.MaxReceiveCount}, visibility {s.VisibilityTimeout.TotalSeconds} s, poison {s.PoisonHandling}, {s.Workers} worker(s)");
        text.AppendLine(CultureInfo.InvariantCulture, $"  workers: {s.Shape}; fault phase {s.FaultPhase.TotalSeconds} s; call faults {s.CallFaults}");
        foreach (var e in s.Enqueues)
        {
            var tasks = string.Join(", ", e.Tasks.Select(t => $"#{t.Serial} {t.TaskName} {Behaviour(t)}"));
            text.AppendLine(CultureInfo.InvariantCulture, $"  t={Seconds(e.At)} enqueue {e.EntityId}: {tasks}");
        }

        foreach (var p in s.Poison)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  t={Seconds(p.At)} poison #{p.Serial} in group {p.GroupId}");
        }

        foreach (var f in s.WorkerFaults)
        {
            var step = f.Kind == WorkerFaultKind.ClockStep ? $" {f.ClockStep.TotalSeconds:+0.###;-0.###} s" : string.Empty;
            text.AppendLine(CultureInfo.InvariantCulture, $"  t={Seconds(f.At)} {f.Kind} slot {f.Slot}{step}");
        }

        return text.ToString();
    }

    public static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture);

    private static string Behaviour(TaskPlan t) => t.Behaviour switch
    {
        Scenarios.Behaviour.FailThenSucceed => $"fail×{t.Failures}",
        Scenarios.Behaviour.HangHonouringCancellation or Scenarios.Behaviour.HangIgnoringCancellation => $"{t.Behaviour} {t.Hang.TotalSeconds} s",
        _ => t.Behaviour.ToString(),
    };
}
