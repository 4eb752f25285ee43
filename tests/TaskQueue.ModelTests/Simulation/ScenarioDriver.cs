using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Options;
using TaskQueue.ModelTests.Recording;
using TaskQueue.ModelTests.Scenarios;
using TaskQueue.Sqs;
using TaskQueue.Testing;

namespace TaskQueue.ModelTests.Simulation;

/// <summary>
/// Plays a scenario on fake time: producers enqueue, workers run, faults strike at their moments; between steps the
/// driver waits for every thread to park, then jumps the clock to the next timer or planned event. After the fault
/// phase faults stop and the workers drain the queue; then they are stopped and the final queues are read.
/// </summary>
public sealed class ScenarioDriver
{
    private const int Slots = 4;
    private static readonly TimeSpan DrainLimit = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan StopLimit = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan SettleLimit = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan MinStep = TimeSpan.FromMilliseconds(1);

    /// <summary>
    /// How long the queue must stay drained before the run ends: time for the workers' dead-letter checks (every 5 s)
    /// to find a task the redrive policy moved, also one a crashed worker's check held (30 s). What is still not
    /// announced then is the oracle's to judge.
    /// </summary>
    private static readonly TimeSpan CompletionGrace = TimeSpan.FromSeconds(40);

    private readonly Scenario _scenario;
    private readonly SimulatedTime _time = new(new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero));
    private readonly InMemorySqsClient _sqs;
    private readonly InMemoryEntityLedger _ledger = new();
    private readonly Recorder _recorder;
    private readonly TaskBehaviours _behaviours;
    private readonly WorkerInstance?[] _slots = new WorkerInstance?[Slots];
    private readonly List<WorkerInstance> _workers = [];
    private readonly List<Task> _enqueues = [];
    private readonly List<CallFaultDice> _dice = [];
    private readonly string _queueUrl;
    private readonly TaskQueueOptions _options;
    private int _generation;
    private int _steps;
    private int _settleTimeouts;
    private bool _faultsOn = true;
    private TimeSpan? _drainedSince;

    private ScenarioDriver(Scenario scenario)
    {
        _scenario = scenario;
        _sqs = new InMemorySqsClient(_time, new InMemorySqsOptions { FifoReceiveMode = scenario.ReceiveMode });
        _recorder = new Recorder(_time);
        _behaviours = new TaskBehaviours(scenario, _recorder);
        var dlqUrl = Sync(_sqs.CreateQueueAsync("model-dlq.fifo", new Dictionary<string, string> { [QueueAttributeNames.FifoQueue] = "true" }));
        var dlqArn = Sync(_sqs.GetQueueAttributesAsync(dlqUrl, [QueueAttributeNames.QueueArn]))[QueueAttributeNames.QueueArn];
        _queueUrl = Sync(_sqs.CreateQueueAsync("model.fifo", new Dictionary<string, string>
        {
            [QueueAttributeNames.FifoQueue] = "true",
            [QueueAttributeNames.VisibilityTimeout] = ((int)scenario.VisibilityTimeout.TotalSeconds).ToString(CultureInfo.InvariantCulture),
            [QueueAttributeNames.RedrivePolicy] = $$"""{"deadLetterTargetArn":"{{dlqArn}}","maxReceiveCount":{{scenario.MaxReceiveCount}}}""",
        }));
        _options = new TaskQueueOptions
        {
            QueueUrl = _queueUrl,
            VisibilityTimeout = scenario.VisibilityTimeout,
            DeduplicationMode = DeduplicationMode.PerCall,
            PoisonMessageHandling = scenario.PoisonHandling,
            RetryBackoff = new RetryBackoffOptions { InitialDelay = TimeSpan.FromSeconds(1), Multiplier = 2, MaxDelay = TimeSpan.FromSeconds(4), Jitter = BackoffJitter.None },
        };
    }

    /// <summary>Plays the scenario to its end; runs on the calling thread, which must not be a thread-pool thread.</summary>
    public static ScenarioRun Run(Scenario scenario) => new ScenarioDriver(scenario).Play();

    private ScenarioRun Play()
    {
        var wall = Stopwatch.StartNew();
        var producerClock = new SteppingClock(_time);
        var producer = new TaskQueueHandler(Connect("producer"), Options.Create(_options), timeProvider: producerClock, entityTracking: new EntityTracking(_ledger));
        var timeline = Timeline(producer, producerClock);
        for (var slot = 0; slot < _scenario.Workers; slot++)
        {
            StartWorker(slot);
        }

        var next = 0;
        RunUntil(() =>
        {
            if (next < timeline.Count && timeline[next].At <= _time.Elapsed)
            {
                timeline[next++].Act();
                return null;
            }

            if (next < timeline.Count)
            {
                return timeline[next].At;
            }

            return IsDrained() || _time.Elapsed >= _scenario.FaultPhase + DrainLimit ? TimeSpan.MinValue : TimeSpan.MaxValue;
        });
        var drained = IsDrained();

        foreach (var worker in _workers.Where(w => w.Alive))
        {
            worker.Stop();
        }

        var stopDeadline = _time.Elapsed + StopLimit;
        RunUntil(() => AllStopped() || _time.Elapsed >= stopDeadline ? TimeSpan.MinValue : TimeSpan.MaxValue);
        // A dead letter held by a crashed worker's check comes back only when its hold ends.
        _time.Advance(TimeSpan.FromSeconds(31));
        var deadLetters = ReadAll("model-dlq.fifo");
        var stopped = AllStopped();
        foreach (var worker in _workers.Where(w => w.Running.IsCompleted))
        {
            worker.Dispose();
        }

        return new ScenarioRun(
            _scenario, _recorder, deadLetters, MessagesLeft(), drained, stopped, _steps, _settleTimeouts, _time.Elapsed, wall.Elapsed);
    }

    /// <summary>
    /// Settles, asks <paramref name="decide"/> what next, and moves the clock: null means "acted, settle again";
    /// MinValue means done; MaxValue means "nothing planned, go to the next timer"; any other value is the fake time of
    /// the next planned event.
    /// </summary>
    private bool RunUntil(Func<TimeSpan?> decide)
    {
        while (true)
        {
            Settle();
            var planned = decide();
            if (planned is null)
            {
                continue;
            }

            if (planned == TimeSpan.MinValue)
            {
                return true;
            }

            var now = _time.GetUtcNow();
            var target = _time.NextDue() ?? now + TimeSpan.FromSeconds(1);
            if (planned != TimeSpan.MaxValue && _time.Start + planned.Value < target)
            {
                target = _time.Start + planned.Value;
            }

            _time.Advance(target - now > MinStep ? target - now : MinStep);
            _steps++;
        }
    }

    private void Settle()
    {
        if (!Quiescence.Wait(SettleLimit))
        {
            _settleTimeouts++;
        }
    }

    private List<(TimeSpan At, Action Act)> Timeline(TaskQueueHandler producer, SteppingClock producerClock)
    {
        var timeline = new List<(TimeSpan At, Action Act)>();
        timeline.AddRange(_scenario.Enqueues.Select(e => (e.At, (Action)(() => Enqueue(producer, producerClock, e)))));
        timeline.AddRange(_scenario.Poison.Select(p => (p.At, (Action)(() => SendPoison(p)))));
        timeline.AddRange(_scenario.WorkerFaults.Select(f => (f.At, (Action)(() => Strike(f)))));
        timeline.Add((_scenario.FaultPhase, EndFaultPhase));
        return [.. timeline.OrderBy(t => t.At)];
    }

    private void Enqueue(TaskQueueHandler producer, SteppingClock producerClock, EnqueuePlan plan)
    {
        // Each call gets its own enqueue timestamp, so per-call deduplication ids never meet.
        producerClock.Step(TimeSpan.FromMilliseconds(1));
        var tasks = plan.Tasks.Select(t => new TaskSpec(t.TaskName, MessageBodies.Config(t))).ToList();
        _enqueues.Add(ReportAsync(plan, producer.EnqueueTasksAsync(plan.EntityId, tasks)));
    }

    private async Task ReportAsync(EnqueuePlan plan, Task<EnqueueResult> sending)
    {
        var result = await sending.ConfigureAwait(false);
        _recorder.RecordBatch(result.BatchId, [.. plan.Tasks.Select(t => t.Serial)]);
        for (var i = 0; i < plan.Tasks.Count; i++)
        {
            var outcome = result.Tasks[i];
            _recorder.RecordEnqueueReport(plan.Tasks[i].Serial, outcome.MessageId, outcome.ErrorCode);
        }
    }

    private void SendPoison(PoisonPlan plan)
    {
        var message = new OutgoingMessage("0", plan.Body, plan.GroupId, $"poison-{plan.Serial}");
        var sent = Sync(_sqs.SendMessageBatchAsync(_queueUrl, [message]));
        _recorder.RecordSent("raw", message, sent.Successful.Single(), responseLost: false);
    }

    private void Strike(WorkerFault fault)
    {
        var worker = _slots[fault.Slot];
        switch (fault.Kind)
        {
            case WorkerFaultKind.Crash when worker is { Alive: true }:
                worker.Crash();
                break;
            case WorkerFaultKind.Stop when worker is { Alive: true }:
                worker.Stop();
                break;
            case WorkerFaultKind.ClockStep when worker is { Alive: true }:
                worker.StepClock(fault.ClockStep);
                break;
            case WorkerFaultKind.Pause when worker is { Alive: true }:
                worker.Pause();
                break;
            case WorkerFaultKind.Resume when worker is { Alive: true }:
                worker.Resume();
                break;
            case WorkerFaultKind.Restart when worker is null or { Alive: false }:
                StartWorker(fault.Slot);
                break;
        }
    }

    private void EndFaultPhase()
    {
        _faultsOn = false;
        foreach (var dice in _dice)
        {
            dice.Disable();
        }

        // A worker still paused at the end of the fault phase would hold the rest back: the drain needs them all working.
        foreach (var worker in _workers.Where(w => w.Alive))
        {
            worker.Resume();
        }

        if (!_workers.Any(w => w.Alive))
        {
            StartWorker(0);
        }
    }

    private void StartWorker(int slot)
    {
        var name = $"w{slot}.{++_generation}";
        var worker = new WorkerInstance(name, Connect(name), ConnectLedger(name), new SteppingClock(_time), _recorder);
        _slots[slot] = worker;
        _workers.Add(worker);
        worker.Start(_options, _scenario.Shape.ToOptions(), _behaviours);
    }

    private FaultInjectingLedger ConnectLedger(string name)
    {
        var dice = new CallFaultDice(HashCode.Combine(_scenario.Seed, name.GetHashCode(StringComparison.Ordinal), "ledger"), _faultsOn ? _scenario.CallFaults : CallFaultRates.None);
        _dice.Add(dice);
        return new FaultInjectingLedger(_ledger, name, dice, _recorder);
    }

    private FaultInjectingSqsClient Connect(string name)
    {
        var dice = new CallFaultDice(HashCode.Combine(_scenario.Seed, name.GetHashCode(StringComparison.Ordinal)), _faultsOn ? _scenario.CallFaults : CallFaultRates.None);
        _dice.Add(dice);
        return new FaultInjectingSqsClient(_sqs, name, _queueUrl, dice, _recorder);
    }

    private bool IsDrained()
    {
        if (_time.Elapsed < _scenario.FaultPhase || _enqueues.Any(e => !e.IsCompleted))
        {
            return false;
        }

        if (MessagesLeft() != 0 || _recorder.OpenRuns().Any(r => IsAlive(r.Worker)))
        {
            _drainedSince = null;
            return false;
        }

        _drainedSince ??= _time.Elapsed;
        return _time.Elapsed - _drainedSince >= CompletionGrace;
    }

    /// <summary>Messages still in the task queue: visible, in flight or delayed.</summary>
    private int MessagesLeft() =>
        Sync(_sqs.GetQueueAttributesAsync(_queueUrl, [QueueAttributeNames.ApproximateNumberOfMessages, QueueAttributeNames.ApproximateNumberOfMessagesNotVisible, QueueAttributeNames.ApproximateNumberOfMessagesDelayed]))
            .Values.Sum(v => int.Parse(v, CultureInfo.InvariantCulture));

    private bool IsAlive(string worker) => _workers.Any(w => w.Name == worker && !w.Crashed);

    private bool AllStopped() =>
        _workers.Where(w => !w.Crashed).All(w => w.Running.IsCompleted)
        && !_recorder.OpenRuns().Any(r => IsAlive(r.Worker));

    /// <summary>The serials of every message in a queue, emptied as it is read: a group's next message comes only once the one ahead is gone.</summary>
    private List<int> ReadAll(string queueName)
    {
        var url = Sync(_sqs.GetQueueUrlAsync(queueName));
        var serials = new List<int>();
        while (true)
        {
            var batch = Sync(_sqs.ReceiveMessagesAsync(url, new ReceiveOptions(10, TimeSpan.Zero, TimeSpan.FromHours(12))));
            if (batch.Count == 0)
            {
                return serials;
            }

            serials.AddRange(batch.Select(m => MessageBodies.SerialOf(m.Body)));
            Sync(_sqs.DeleteMessageBatchAsync(url, batch.Select((m, i) => new ReceiptEntry(i.ToString(CultureInfo.InvariantCulture), m.ReceiptHandle)).ToList()));
        }
    }

    /// <summary>In-memory SQS calls without a wait complete at once; this reads their result on the driver's thread.</summary>
    private static T Sync<T>(Task<T> call) =>
        call.IsCompleted ? call.GetAwaiter().GetResult() : throw new InvalidOperationException("An in-memory SQS call the driver makes must complete at once.");
}
