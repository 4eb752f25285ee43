using Microsoft.Extensions.Options;
using TaskQueue.ModelTests.Recording;

namespace TaskQueue.ModelTests.Simulation;

/// <summary>One worker process: its SQS connection with faults, its own clock, the worker itself, and its fate.</summary>
public sealed class WorkerInstance(string name, FaultInjectingSqsClient sqs, FaultInjectingLedger ledger, SteppingClock clock, Recorder recorder) : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Recorder _recorder = recorder;
    private volatile bool _crashed;
    private TaskQueueWorker? _worker;

    public string Name { get; } = name;

    public FaultInjectingSqsClient Sqs { get; } = sqs;

    public SteppingClock Clock { get; } = clock;

    public bool Crashed => _crashed;

    public bool StopRequested => _stop.IsCancellationRequested;

    public Task Running { get; private set; } = Task.CompletedTask;

    /// <summary>Alive: started, not crashed, not stopping.</summary>
    public bool Alive => !_crashed && !_stop.IsCancellationRequested;

    public void Start(TaskQueueOptions options, TaskQueueWorkerOptions workerOptions, TaskBehaviours behaviours)
    {
        var tracking = new EntityTracking(ledger, [new RecordingAnnouncer(Name, ledger, _recorder)]);
        var worker = new TaskQueueWorker(Sqs, Options.Create(options), Options.Create(workerOptions), behaviours.For(this), timeProvider: Clock, entityTracking: tracking);
        _worker = worker;
        _recorder.RecordWorker(Name, WorkerEventKind.Started, string.Empty);
        Running = RunAsync(worker);
    }

    /// <summary>The process dies: calls hang, handlers never return, nothing is released.</summary>
    public void Crash()
    {
        _crashed = true;
        Sqs.Crash();
        ledger.Crash();
        _recorder.RecordCrash(Name);
    }

    public void Stop()
    {
        _recorder.RecordWorker(Name, WorkerEventKind.StopRequested, string.Empty);
        _stop.Cancel();
    }

    public void Pause()
    {
        _recorder.RecordWorker(Name, WorkerEventKind.Paused, string.Empty);
        _worker?.Pause();
    }

    public void Resume()
    {
        _recorder.RecordWorker(Name, WorkerEventKind.Resumed, string.Empty);
        _worker?.Resume();
    }

    public void StepClock(TimeSpan step)
    {
        Clock.Step(step);
        _recorder.RecordWorker(Name, WorkerEventKind.ClockStepped, $"{step.TotalSeconds:+0.###;-0.###} s");
    }

    public void Dispose() => _stop.Dispose();

    private async Task RunAsync(TaskQueueWorker worker)
    {
        await worker.RunAsync(_stop.Token).ConfigureAwait(false);
        _recorder.RecordWorker(Name, WorkerEventKind.Stopped, string.Empty);
    }
}
