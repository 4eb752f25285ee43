using System.Globalization;
using TaskQueue.ModelTests.Recording;
using TaskQueue.ModelTests.Scenarios;
using TaskQueue.ModelTests.Simulation;

namespace TaskQueue.ModelTests.Checking;

/// <summary>
/// Checks a finished scenario against the library's guarantees, from what was observed only (the queues, the calls SQS
/// carried out, the runs, the faults), never from the worker's internals; and counts what it saw.
/// </summary>
public sealed class Oracle
{
    private readonly ScenarioFacts _facts;
    private readonly ReceiveAccounting _accounting;
    private readonly List<Violation> _violations = [];
    private readonly Tally _tally = new();

    /// <summary>Each serial's message group, tasks' and poison bodies' alike: the DLQ keeps a message's group.</summary>
    private readonly Lazy<Dictionary<int, string>> _groupOfSerial;

    private Oracle(ScenarioRun run)
    {
        _facts = new ScenarioFacts(run);
        _accounting = new ReceiveAccounting(_facts);
        _groupOfSerial = new(() =>
        {
            var groupOf = _facts.Messages.Values.GroupBy(m => m.Serial).ToDictionary(g => g.Key, g => g.First().GroupId);
            foreach (var poison in run.Scenario.Poison)
            {
                groupOf[poison.Serial] = poison.GroupId;
            }

            return groupOf;
        });
    }

    public static (IReadOnlyList<Violation> Violations, Tally Tally) Check(ScenarioRun run)
    {
        var oracle = new Oracle(run);
        oracle.CheckSettled();
        oracle.CheckDeadLetters();
        oracle.CheckGroups();
        oracle.CheckDuplicates();
        oracle.CheckCompletions();
        oracle.CountRun();
        return (oracle._violations, oracle._tally);
    }

    private void CheckSettled()
    {
        var run = _facts.Run;
        if (!run.Drained)
        {
            Fail(Guarantee.EveryTaskSettled, null, $"the queue did not drain within the bound: {run.LeftInQueue} message(s) left");
        }

        if (!run.WorkersStopped)
        {
            Fail(Guarantee.WorkersStop, null, "a stopped worker had not stopped (or a handler still ran) 3 minutes after its stop");
        }

        foreach (var report in run.Record.EnqueueReports.Where(r => r.MessageId is not null))
        {
            if (!_facts.Messages.ContainsKey(report.MessageId!))
            {
                Fail(Guarantee.EveryTaskSettled, null, $"task #{report.Serial} was reported enqueued as {report.MessageId}, but SQS never took that message");
            }
        }

        foreach (var message in _facts.Messages.Values)
        {
            var completed = _facts.Runs(message.MessageId).Any(r => r.Outcome == RunOutcome.Completed);
            var deadLettered = _facts.DeadLettered.Contains(message.Serial);
            if (!completed && !deadLettered && run.Drained)
            {
                Fail(Guarantee.EveryTaskSettled, message.GroupId, $"{Name(message)} left the queue without a successful run and is not in the DLQ");
            }

            _tally.Add(completed ? "messages completed" : deadLettered ? "messages dead-lettered" : "messages unsettled");
            if (completed && deadLettered)
            {
                _tally.Add("messages completed and also dead-lettered");
            }
        }
    }

    private void CheckDeadLetters()
    {
        foreach (var message in _facts.Messages.Values.Where(m => _facts.DeadLettered.Contains(m.Serial)))
        {
            var causes = _facts.Receives(message.MessageId).Select(r => (Receive: r, Cause: _accounting.CauseOf(r))).ToList();
            var unexplained = causes.Where(c => c.Cause == ReceiveCause.Unexplained).ToList();
            if (unexplained.Count > 0)
            {
                var ran = _facts.Runs(message.MessageId).Count;
                Fail(
                    Guarantee.NoInnocentDeadLetter,
                    message.GroupId,
                    $"{Name(message)} is in the DLQ with {unexplained.Count} of its {causes.Count} receives unaccounted for "
                    + $"({string.Join(", ", unexplained.Select(u => Describe(u.Receive)))}); "
                    + (ran == 0 ? "it never ran" : $"it ran {ran} time(s)"));
            }

            _tally.Add($"dead letters: {DeadLetterCause(message, causes.Select(c => c.Cause).ToList())}");
        }
    }

    private string Describe(ReceiveRecord receive)
    {
        var ran = _facts.RunsUnder(receive).Any() ? "released after running" : "released without running";
        return $"receive {receive.ReceiveCount} by {receive.Worker} at {ScenarioText.Seconds(receive.At)}, {ran}";
    }

    private string DeadLetterCause(SentRecord message, List<ReceiveCause> causes) =>
        _facts.IsPoison(message.Serial) ? "poison"
        : causes.Contains(ReceiveCause.Unexplained) ? "innocent (unaccounted receives)"
        : causes.FirstOrDefault(c => c != ReceiveCause.OwnFailure) is var excuse && excuse != ReceiveCause.OwnFailure ? $"own failures and {excuse}"
        : "own failures";

    /// <summary>Entity completion: each batch announced once it finished, truthfully, and once (a crash excepted).</summary>
    private void CheckCompletions()
    {
        var record = _facts.Run.Record;
        var tasks = _facts.Run.Scenario.Tasks.ToDictionary(t => t.Serial);
        var completedRuns = record.Runs.Where(r => r.Outcome == RunOutcome.Completed).GroupBy(r => r.Serial).ToDictionary(g => g.Key, g => g.Min(r => r.EndSeq));
        var announced = record.Announcements.GroupBy(a => a.Batch.BatchId).ToDictionary(g => g.Key, g => g.OrderBy(a => a.Seq).ToList());
        foreach (var (batchId, serials) in record.Batches)
        {
            var unfinished = serials.Where(s => !completedRuns.ContainsKey(s) && !_facts.DeadLettered.Contains(s)).ToList();
            var made = announced.GetValueOrDefault(batchId) ?? [];
            var label = $"batch {batchId[..Math.Min(8, batchId.Length)]} (#{string.Join(", #", serials)})";
            if (unfinished.Count == 0 && made.Count == 0 && _facts.Run.Drained && serials.Any(OutOfReachInDeadLetterQueue))
            {
                _tally.Add("completions out of reach: a dead letter behind others of its group in the FIFO DLQ");
            }
            else if (unfinished.Count == 0 && made.Count == 0 && _facts.Run.Drained)
            {
                _violations.Add(new Violation(Guarantee.CompletionAnnounced, null, $"{label}: every task finished, but its completion was never announced", batchId));
            }

            for (var k = 0; k < made.Count; k++)
            {
                var announcement = made[k];
                foreach (var task in announcement.Batch.Tasks)
                {
                    var serial = serials.Single(s => tasks[s].TaskName == task.TaskName);
                    var truthful = task.State switch
                    {
                        EntityTaskState.Completed => completedRuns.TryGetValue(serial, out var endSeq) && endSeq < announcement.Seq,
                        EntityTaskState.DeadLettered => _facts.DeadLettered.Contains(serial),
                        _ => false,
                    };
                    if (!truthful)
                    {
                        Fail(Guarantee.CompletionTruthful, null, $"{label} announced by {announcement.Worker} at {ScenarioText.Seconds(announcement.At)} says #{serial} {task.State}, which did not happen");
                    }
                }

                var earlier = made.Take(k).Where(a => a.Batch.Revision == announcement.Batch.Revision).ToList();
                if (earlier.Count == 0)
                {
                    _tally.Add("completions announced");
                }
                else if (earlier.Any(a => _facts.EventAfter(a.Worker, WorkerEventKind.Crashed, a.Seq) is { } crash && crash.Seq < announcement.Seq))
                {
                    _tally.Add("completions announced again: the announcer died before recording the announcement");
                }
                else if (earlier.Any(a => LedgerFailedBetween(a.Worker, a.Seq, announcement.Seq)))
                {
                    _tally.Add("completions announced again: the ledger failed until the announcer gave the task up");
                }
                else
                {
                    Fail(Guarantee.CompletionOnce, null, $"{label} announced again by {announcement.Worker} at {ScenarioText.Seconds(announcement.At)}, though every worker that announced it before lived and could record it");
                }
            }

            if (unfinished.Count > 0)
            {
                _tally.Add("batches not finished (a task never sent)");
            }
        }
    }

    private bool LedgerFailedBetween(string worker, long fromSeq, long toSeq) =>
        _facts.Run.Record.Faults.Any(f => f.Worker == worker && f.Operation.StartsWith("Ledger.", StringComparison.Ordinal) && f.Seq > fromSeq && f.Seq < toSeq);

    /// <summary>
    /// True when the task's dead letter sits behind more of its group in the FIFO DLQ than one receive returns of a group
    /// (one, or up to ten in AWS's mode): a dead-letter check cannot reach it while those sit there.
    /// </summary>
    private bool OutOfReachInDeadLetterQueue(int serial)
    {
        var reach = _facts.Run.Scenario.ReceiveMode == Testing.FifoReceiveMode.OnePerGroup ? 1 : 10;
        var groupOf = _groupOfSerial.Value;
        if (!groupOf.TryGetValue(serial, out var group))
        {
            return false;
        }

        var ahead = _facts.Run.DeadLetters.TakeWhile(s => s != serial).Count(s => groupOf.GetValueOrDefault(s) == group);
        return _facts.DeadLettered.Contains(serial) && ahead >= reach;
    }

    private void CheckGroups()
    {
        foreach (var (groupId, messages) in _facts.Groups)
        {
            for (var k = 1; k < messages.Count; k++)
            {
                CheckOrder(groupId, messages[k - 1], messages[k]);
            }

            var runs = messages.SelectMany(m => _facts.Runs(m.MessageId)).OrderBy(r => r.StartSeq).ToList();
            for (var i = 0; i < runs.Count; i++)
            {
                for (var j = i + 1; j < runs.Count && runs[j].StartSeq < runs[i].EndSeq; j++)
                {
                    CheckOverlap(groupId, runs[i], runs[j]);
                }
            }
        }
    }

    private void CheckOrder(string groupId, SentRecord ahead, SentRecord behind)
    {
        var aheadRuns = _facts.Runs(ahead.MessageId);
        var aheadDeadLettered = _facts.DeadLettered.Contains(ahead.Serial);
        foreach (var run in _facts.Runs(behind.MessageId))
        {
            var completedBefore = aheadRuns.Any(r => r.Outcome == RunOutcome.Completed && r.EndSeq < run.StartSeq);
            var deadBefore = aheadDeadLettered
                && !_facts.Receives(ahead.MessageId).Any(r => r.Seq > run.StartSeq)
                && !aheadRuns.Any(r => r.StartSeq < run.StartSeq && r.EndSeq > run.StartSeq && !LeaseLostBefore(r, run.StartSeq, run.Start));
            if (!completedBefore && !deadBefore && LeaseLostBefore(run, run.StartSeq, run.Start))
            {
                _tally.Add("runs started out of group order under a lease already lost");
                continue;
            }

            if (!completedBefore && !deadBefore)
            {
                Fail(Guarantee.GroupOrder, groupId, $"{Name(behind)} started on {run.Worker} at {ScenarioText.Seconds(run.Start)} before {Name(ahead)}, ahead of it, completed or was dead-lettered");
            }
        }
    }

    private void CheckOverlap(string groupId, RunRecord earlier, RunRecord later)
    {
        // Either lease already lost when the later run began: the earlier run went on without its lease, or the later
        // one started under a lease it no longer had.
        if (LeaseLostBefore(earlier, later.StartSeq, later.Start) || LeaseLostBefore(later, later.StartSeq, later.Start))
        {
            _tally.Add("overlapping runs after a lost lease");
            return;
        }

        Fail(Guarantee.NoGroupOverlap, groupId, $"run of #{later.Serial} on {later.Worker} at {ScenarioText.Seconds(later.Start)} overlaps the run of #{earlier.Serial} on {earlier.Worker} (from {ScenarioText.Seconds(earlier.Start)}) while both held their leases");
    }

    private void CheckDuplicates()
    {
        foreach (var message in _facts.Messages.Values)
        {
            var completed = _facts.Runs(message.MessageId).Where(r => r.Outcome == RunOutcome.Completed).ToList();
            for (var i = 1; i < completed.Count; i++)
            {
                _tally.Add("duplicate runs found");
                var first = completed[0];
                // The first run's lease lost before the second began, or the second began under a lease already lost.
                if (LeaseLostBefore(first, completed[i].StartSeq, completed[i].Start) || LeaseLostBefore(completed[i], completed[i].StartSeq, completed[i].Start))
                {
                    _tally.Add($"duplicate runs accounted: {DuplicateCause(first)}");
                    continue;
                }

                // With entity tracking a finished task is deleted only once its fate is recorded: a ledger failing until
                // the worker stopped leaves it to run again.
                if (LedgerFailedBetween(first.Worker, first.EndSeq, completed[i].StartSeq))
                {
                    _tally.Add("duplicate runs accounted: the ledger failed until the worker released the task unrecorded");
                    continue;
                }

                Fail(Guarantee.DuplicatesAccounted, message.GroupId, $"{Name(message)} completed again on {completed[i].Worker} at {ScenarioText.Seconds(completed[i].Start)} though neither its lease nor that of its first run (on {first.Worker}) was lost");
            }
        }
    }

    /// <summary>
    /// True when the lease <paramref name="run"/> ran under was truly lost before <paramref name="at"/>: its worker did
    /// not delete or release the message, and its visibility ran out or the message was handed out again.
    /// </summary>
    private bool LeaseLostBefore(RunRecord run, long seq, TimeSpan at)
    {
        if (_facts.ReceiveOf(run) is not { } receive)
        {
            return false;
        }

        var handedOutAgain = _facts.Receives(run.MessageId).Any(r => r.Seq > receive.Seq && r.Seq < seq);
        var endedByWorker = _facts.Calls(receive.ReceiptHandle).Any(c => c.Succeeded && c.Seq < seq && (c.Call == ReceiptCall.Delete || c.VisibilityTimeout == TimeSpan.Zero));
        return !endedByWorker && (handedOutAgain || _facts.LeaseEnd(receive) <= at);
    }

    private string DuplicateCause(RunRecord first)
    {
        var receive = _facts.ReceiveOf(first)!;
        if (_facts.EventAfter(first.Worker, WorkerEventKind.Crashed, first.StartSeq) is not null)
        {
            return "worker crashed before its delete";
        }

        var deletes = _facts.Calls(receive.ReceiptHandle).Where(c => c.Call == ReceiptCall.Delete).ToList();
        return deletes.Count > 0 ? "delete came too late (receipt expired or stale)"
            : _facts.Run.Record.Faults.Any(f => f.Worker == first.Worker && f.Operation.StartsWith("Delete", StringComparison.Ordinal)) ? "deletes failed until the lease ran out"
            : "lease ran out before the delete";
    }

    private void CountRun()
    {
        var run = _facts.Run;
        var record = run.Record;
        _tally.Add("scenarios");
        _tally.Add($"scenarios in {run.Scenario.ReceiveMode} mode");
        _tally.Add("tasks enqueued", run.Scenario.Tasks.Count());
        _tally.Add("poison bodies sent", run.Scenario.Poison.Count);
        _tally.Add("workers started", record.WorkerEvents.Count(e => e.Kind == WorkerEventKind.Started));
        _tally.Add("faults: worker crashes", record.WorkerEvents.Count(e => e.Kind == WorkerEventKind.Crashed));
        _tally.Add("faults: worker stops mid-run", run.Scenario.WorkerFaults.Count(f => f.Kind == WorkerFaultKind.Stop));
        _tally.Add("faults: worker pauses", record.WorkerEvents.Count(e => e.Kind == WorkerEventKind.Paused));
        _tally.Add($"scenarios with task limits {run.Scenario.Shape.Limits}", 1);
        _tally.Add("faults: clock steps", record.WorkerEvents.Count(e => e.Kind == WorkerEventKind.ClockStepped));
        foreach (var fault in record.Faults.GroupBy(f => f.Fault))
        {
            _tally.Add($"faults: calls {fault.Key}", fault.Count());
        }

        foreach (var outcome in record.Runs.GroupBy(r => r.Outcome))
        {
            _tally.Add($"runs {outcome.Key.ToString().ToLowerInvariant()}", outcome.Count());
        }

        _tally.Add("runs started under a lease already lost", record.Runs.Count(r => LeaseLostBefore(r, r.StartSeq, r.Start)));
        _tally.Add("receives", record.Receives.Count);
        _tally.Add("receives: released by a pause past its bound", record.Receives.Count(r => !r.Lost && _accounting.CauseOf(r) == ReceiveCause.PauseRelease));
        _tally.Add("receives: leases lost", record.Receives.Count(r => !r.Lost && _accounting.CauseOf(r) == ReceiveCause.LeaseLost && _facts.NextReceive(r) is not null));
        _tally.Add("receives: responses lost", record.Receives.Count(r => r.Lost));
        _tally.Add("fake seconds", (long)run.FakeDuration.TotalSeconds);
        _tally.Add("clock steps taken", run.Steps);
        _tally.Add("settle waits timed out", run.SettleTimeouts);
    }

    private string Name(SentRecord message)
    {
        var position = _facts.Groups[message.GroupId].ToList().FindIndex(m => m.MessageId == message.MessageId) + 1;
        var kind = _facts.IsPoison(message.Serial) ? "poison" : "task";
        return string.Create(CultureInfo.InvariantCulture, $"{kind} #{message.Serial} ({message.GroupId} {position}/{_facts.Groups[message.GroupId].Count})");
    }

    private void Fail(Guarantee guarantee, string? groupId, string text) => _violations.Add(new Violation(guarantee, groupId, text));
}
