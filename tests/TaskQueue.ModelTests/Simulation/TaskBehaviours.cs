using System.Collections.Concurrent;
using TaskQueue.ModelTests.Recording;
using TaskQueue.ModelTests.Scenarios;

namespace TaskQueue.ModelTests.Simulation;

/// <summary>A planned failure of a task's handler.</summary>
public sealed class PlannedFailureException(string message) : Exception(message);

/// <summary>A failure the handler declares not worth retrying; to the worker, today, a failure like any other.</summary>
public sealed class NonRetryableTaskException(string message) : Exception(message);

/// <summary>
/// The handlers of a scenario's tasks: each run does what its task's plan says (work, fail, throw, hang) on the worker's
/// clock and is recorded. Runs count per task across workers, so "fail twice, then succeed" holds wherever it runs.
/// </summary>
public sealed class TaskBehaviours(Scenario scenario, Recorder recorder)
{
    private readonly Dictionary<int, TaskPlan> _plans = scenario.Tasks.ToDictionary(t => t.Serial);
    private readonly ConcurrentDictionary<int, int> _attempts = new();

    /// <summary>The handler of one worker instance.</summary>
    public Func<TaskMessage, TaskContext, Task> For(WorkerInstance worker) => (task, context) => RunAsync(worker, task, context);

    private async Task RunAsync(WorkerInstance worker, TaskMessage task, TaskContext context)
    {
        if (worker.Crashed)
        {
            await NeverAsync().ConfigureAwait(false);
        }

        var plan = _plans[MessageBodies.SerialOf(task.TaskConfig)];
        var run = recorder.StartRun(worker.Name, context.MessageId, plan.Serial, context.MessageGroupId ?? string.Empty, context.ReceiveCount);
        var attempt = _attempts.AddOrUpdate(plan.Serial, 1, (_, n) => n + 1);
        try
        {
            await WorkAsync(plan, worker.Clock, context.CancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await EndAsync(worker, run, RunOutcome.Cancelled).ConfigureAwait(false);
            throw;
        }

        switch (plan.Behaviour)
        {
            case Behaviour.FailThenSucceed when attempt <= plan.Failures:
            case Behaviour.AlwaysFail:
                await EndAsync(worker, run, RunOutcome.Failed).ConfigureAwait(false);
                throw new PlannedFailureException($"task #{plan.Serial} fails (run {attempt})");
            case Behaviour.ThrowNonRetryable:
                await EndAsync(worker, run, RunOutcome.Failed).ConfigureAwait(false);
                throw new NonRetryableTaskException($"task #{plan.Serial} cannot succeed");
            default:
                await EndAsync(worker, run, RunOutcome.Completed).ConfigureAwait(false);
                break;
        }
    }

    private static Task WorkAsync(TaskPlan plan, TimeProvider clock, CancellationToken cancellationToken) => plan.Behaviour switch
    {
        Behaviour.HangHonouringCancellation => Task.Delay(plan.Hang, clock, cancellationToken),
        Behaviour.HangIgnoringCancellation => Task.Delay(plan.Hang, clock, CancellationToken.None),
        _ => Task.Delay(plan.Work, clock, cancellationToken),
    };

    /// <summary>Ends the run; a crashed worker's run never ends for the worker: a dead process reports nothing.</summary>
    private async Task EndAsync(WorkerInstance worker, RunRecord run, RunOutcome outcome)
    {
        if (worker.Crashed)
        {
            await NeverAsync().ConfigureAwait(false);
        }

        recorder.EndRun(run, outcome);
    }

    private static Task NeverAsync() => Task.Delay(Timeout.InfiniteTimeSpan);
}
