using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TaskQueue.Sqs;

namespace TaskQueue;

/// <summary>
/// Processes tasks continuously until stopped: long-polling receives of up to 10 messages, many
/// tasks at once across message groups and one at a time, in order, within a group; finished tasks
/// deleted in batches, failed ones backed off, long ones kept hidden by a visibility heartbeat.
/// </summary>
/// <remarks>
/// <para>SQS counts a receive against every message it returns, and one FIFO receive may return several messages of
/// a group. So when a task fails while later messages of its group are held behind it, the worker does not hand them
/// back (each would be received, and counted, again): it retries the failed task under its own lease after the backoff
/// delay, keeping them hidden, and at the queue's maxReceiveCount moves it to the dead-letter queue itself; then the
/// group goes on. Without a crash, a task reaches the DLQ only through its own failed attempts (or as poison). A worker
/// that crashes, or stops while holding messages, costs each message it held one receive, as SQS counts it.</para>
/// <para>A lease SQS refuses to extend, or whose visibility ran out, is lost: the task's token is cancelled and its run
/// ends as <see cref="ProcessOutcome.LeaseLost"/>, never deleted by this worker. A message this worker receives again
/// while it holds it keeps its newest receipt and runs once.</para>
/// <para>Per task name, <see cref="TaskQueueWorkerOptions.TaskLimits"/> bound how many tasks run at once and how many start per
/// period; a task waiting for its permit holds up its own group only. <see cref="Pause"/> stops receiving and starting
/// tasks until <see cref="Resume"/>; running tasks finish, and messages held past <see cref="TaskQueueWorkerOptions.PauseReleaseAfter"/>
/// are released for other workers.</para>
/// <para>On stop it starts no more receives (one under way ends by itself within the receive wait time), lets running tasks finish within
/// <see cref="TaskQueueWorkerOptions.ShutdownTimeout"/> (then cancels them through their token),
/// releases the messages it received but did not start (visibility 0) so another worker takes them
/// at once, and flushes pending deletes. Nothing is deleted that did not succeed. Receive failures
/// (throttling, server faults, a refused connection) are logged and retried with a growing pause; a
/// handler's exception fails its task only. A receive failure no retry can fix (<see cref="SqsConfigurationException"/>:
/// no credentials, access denied, no such queue, an endpoint that is not SQS) is logged once and stops the worker
/// as a stop request would; <see cref="RunAsync"/> then throws it.</para>
/// </remarks>
public sealed class TaskQueueWorker : IDisposable
{
    private static readonly TimeSpan FirstErrorBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan CancelledTaskGrace = TimeSpan.FromSeconds(10);

    private readonly ISqsClient _sqs;
    private readonly TaskQueueOptions _options;
    private readonly TaskQueueWorkerOptions _workerOptions;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly VisibilityHeartbeat _heartbeat;
    private readonly DeleteBatcher _deletes;
    private readonly PayloadCleanup _payloads;
    private readonly LeaseRunner _runner;
    private readonly CapacityGate _capacity;
    private readonly GroupSequencer _sequencer;
    private readonly TaskThrottle _throttle;
    private readonly PauseGate _pause;
    private readonly CancellationTokenSource _taskCancellation = new();
    private readonly CancellationTokenSource _receiveAbort = new();
    private readonly CancellationTokenSource _configurationFailure = new();
    private SqsConfigurationException? _fault;
    private int _started;
    private volatile bool _running;
    private long _lastActivityTicks;
    private int _receiveFailures;
    private readonly DeadLetterReconciler? _deadLetters;
    private ReceiveTurn? _turn;

    /// <summary>Creates a worker whose handler completes each task by returning.</summary>
    /// <param name="sqs">The SQS client.</param>
    /// <param name="options">Queue, visibility timeout, retry backoff and poison handling; validated here.</param>
    /// <param name="workerOptions">Concurrency, polling, batching and shutdown; validated here.</param>
    /// <param name="handler">Runs one task; an exception fails that task only. For one handler per task name, register handlers with <c>AddTaskQueue().AddHandler</c>.</param>
    /// <param name="logger">Where the worker logs.</param>
    /// <param name="timeProvider">The clock for heartbeats, batching and backoff; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="entityTracking">
    /// The entity ledger and completion handlers: each tracked task's fate is recorded before its message is deleted, and
    /// each completed batch announced once. Null (the default) records nothing and makes no extra request.
    /// </param>
    /// <param name="payloadStore">
    /// Where large task bodies are kept: a message whose body points to one is run with the body fetched, and the body
    /// deleted after the message (see <see cref="TaskQueueOptions.LargePayloads"/>). Null (the default) reads none: such a message is poison.
    /// </param>
    /// <exception cref="OptionsValidationException">An option is out of range; the message names it.</exception>
    public TaskQueueWorker(
        ISqsClient sqs,
        IOptions<TaskQueueOptions> options,
        IOptions<TaskQueueWorkerOptions> workerOptions,
        Func<TaskMessage, TaskContext, Task> handler,
        ILogger<TaskQueueWorker>? logger = null,
        TimeProvider? timeProvider = null,
        EntityTracking? entityTracking = null,
        IPayloadStore? payloadStore = null)
        : this(sqs, options, workerOptions, Completing(handler), logger, timeProvider, entityTracking, payloadStore)
    {
    }

    /// <summary>Creates a worker whose handler chooses what becomes of each task (see <see cref="TaskOutcome"/>).</summary>
    /// <param name="sqs">The SQS client.</param>
    /// <param name="options">Queue, visibility timeout, retry backoff and poison handling; validated here.</param>
    /// <param name="workerOptions">Concurrency, polling, batching and shutdown; validated here.</param>
    /// <param name="handler">Runs one task and returns its outcome; an exception fails that task only.</param>
    /// <param name="logger">Where the worker logs.</param>
    /// <param name="timeProvider">The clock for heartbeats, batching and backoff; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="entityTracking">
    /// The entity ledger and completion handlers: each tracked task's fate is recorded before its message is deleted, and
    /// each completed batch announced once. Null (the default) records nothing and makes no extra request.
    /// </param>
    /// <param name="payloadStore">
    /// Where large task bodies are kept: a message whose body points to one is run with the body fetched, and the body
    /// deleted after the message (see <see cref="TaskQueueOptions.LargePayloads"/>). Null (the default) reads none: such a message is poison.
    /// </param>
    /// <exception cref="OptionsValidationException">An option is out of range; the message names it.</exception>
    public TaskQueueWorker(
        ISqsClient sqs,
        IOptions<TaskQueueOptions> options,
        IOptions<TaskQueueWorkerOptions> workerOptions,
        Func<TaskMessage, TaskContext, Task<TaskOutcome>> handler,
        ILogger<TaskQueueWorker>? logger = null,
        TimeProvider? timeProvider = null,
        EntityTracking? entityTracking = null,
        IPayloadStore? payloadStore = null)
    {
        ArgumentNullException.ThrowIfNull(sqs);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(workerOptions);
        ArgumentNullException.ThrowIfNull(handler);
        _sqs = sqs;
        _options = OptionsGuard.Validated(options.Value, new TaskQueueOptionsValidator());
        _workerOptions = OptionsGuard.Validated(workerOptions.Value, new TaskQueueWorkerOptionsValidator());
        _logger = logger ?? NullLogger<TaskQueueWorker>.Instance;
        _time = timeProvider ?? TimeProvider.System;

        var bodies = new TaskBodyReader(payloadStore);
        _heartbeat = new VisibilityHeartbeat(sqs, _options.QueueUrl, _options.VisibilityTimeout, _time, _logger, _taskCancellation.Token);
        var settling = SettleChain.Create(sqs, _options, _workerOptions.DeleteFlushInterval, _time, _logger, _workerOptions.UnknownTaskHandling, entityTracking, payloadStore);
        _deletes = settling.Deletes;
        _payloads = settling.Payloads;
        _deadLetters = settling.Tracker is { } tracker
            ? new DeadLetterReconciler(sqs, settling.DeadLetterQueue, entityTracking!.Ledger, tracker, bodies, _logger)
            : null;
        _capacity = new CapacityGate(_workerOptions.MaxConcurrentTasks, _workerOptions.ReceiveBatchingWindow, _time);
        _runner = new LeaseRunner(
            sqs, _options.QueueUrl, handler, bodies, _heartbeat, settling.Settler, _deletes, _capacity, _workerOptions.HeartbeatEnabled,
            _time, _logger, MarkActivity, _taskCancellation.Token);
        _throttle = new TaskThrottle(_workerOptions.TaskLimits, _capacity, _time, _logger);
        _pause = new PauseGate(_time, _workerOptions.PauseReleaseAfter, () => Log.PausedWorkerReleasing(_logger, _workerOptions.PauseReleaseAfter.TotalSeconds));
        _sequencer = new GroupSequencer(
            _workerOptions.MaxConcurrentTasks, _runner.RunAsync, _runner.ReleaseUnstartedAsync, _time, _throttle.Any ? _throttle : null, _pause);
    }

    /// <summary>
    /// Makes this worker ask <paramref name="scheduler"/> for its turn before each receive, with its
    /// <see cref="TaskQueueWorkerOptions.Priority"/> and <see cref="TaskQueueWorkerOptions.Weight"/>; before it runs.
    /// </summary>
    internal void JoinScheduler(ReceiveScheduler scheduler)
    {
        var turn = scheduler.Join(_workerOptions.Priority, _workerOptions.Weight, () => _capacity.IsHolding, () => _pause.IsPaused);
        _capacity.Idled = turn.Changed;
        _turn = turn;
    }

    /// <summary>The worker's liveness now: whether it runs, when its loop last did something, whether receives fail.</summary>
    public WorkerHealth Health => new(
        _running,
        new DateTimeOffset(Interlocked.Read(ref _lastActivityTicks), TimeSpan.Zero),
        Volatile.Read(ref _receiveFailures),
        Volatile.Read(ref _fault))
    {
        IsPaused = _pause.IsPaused,
    };

    /// <summary>True while the worker is paused (see <see cref="Pause"/>).</summary>
    public bool IsPaused => _pause.IsPaused;

    /// <summary>
    /// Pauses the worker: it starts no more receives and no more tasks; running tasks finish. A long poll under way is let
    /// finish (cutting it short would leave SQS a request to hand messages to that nobody reads), and the messages it brings
    /// are held with the others. Held messages stay hidden by the heartbeat and run in order after <see cref="Resume"/>;
    /// a pause longer than <see cref="TaskQueueWorkerOptions.PauseReleaseAfter"/> releases them (visibility 0) for other
    /// workers, which costs each a receive. Health reports the worker paused. May be called before or while it runs; a
    /// second call does nothing. In a host, resolve the <see cref="TaskQueueWorker"/> from the services to call it.
    /// </summary>
    public void Pause()
    {
        if (_pause.Pause())
        {
            Log.WorkerPaused(_logger, _options.QueueUrl, _workerOptions.PauseReleaseAfter.TotalSeconds);
            _turn?.Changed();
        }
    }

    /// <summary>Resumes a paused worker: held messages start, in order, and receiving goes on. Does nothing when not paused.</summary>
    public void Resume()
    {
        if (_pause.Resume())
        {
            // The pause was no silence of a stuck loop: the health check's clock starts again now.
            MarkActivity();
            Log.WorkerResumed(_logger, _options.QueueUrl);
            _turn?.Changed();
        }
    }

    /// <summary>
    /// Runs until <paramref name="stoppingToken"/> is cancelled, then shuts down gracefully and returns.
    /// A worker runs once.
    /// </summary>
    /// <param name="stoppingToken">Signals the stop.</param>
    /// <returns>A task that completes when the worker has shut down.</returns>
    /// <exception cref="InvalidOperationException">The worker was already started.</exception>
    /// <exception cref="SqsConfigurationException">A receive failed in a way no retry can fix; the worker stopped, after the same graceful shutdown as on a stop request.</exception>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        if (Interlocked.Exchange(ref _started, 1) == 1)
        {
            throw new InvalidOperationException("A TaskQueueWorker runs once: create a new one to run again.");
        }

        Log.WorkerStarted(_logger, _options.QueueUrl, _workerOptions.MaxConcurrentTasks, _workerOptions.PollerCount);
        MarkActivity();
        _running = true;
        try
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, _configurationFailure.Token);
            await RunUntilStoppedAsync(stop.Token).ConfigureAwait(false);
        }
        finally
        {
            _running = false;
            _turn?.Leave();
        }

        if (Volatile.Read(ref _fault) is { } fault)
        {
            ExceptionDispatchInfo.Throw(fault);
        }
    }

    private async Task RunUntilStoppedAsync(CancellationToken stoppingToken)
    {
        using var heartbeatStop = new CancellationTokenSource();
        var heartbeat = _workerOptions.HeartbeatEnabled
            ? _heartbeat.RunAsync(heartbeatStop.Token)
            : Task.CompletedTask;

        // On the thread pool: a client that answers synchronously must not hold the caller of RunAsync.
        var polling = Task.WhenAll(Enumerable.Range(0, _workerOptions.PollerCount).Select(_ => Task.Run(() => PollAsync(stoppingToken), CancellationToken.None)));
        var reconciling = _deadLetters is null ? Task.CompletedTask : Task.Run(() => ReconcileDeadLettersAsync(_deadLetters, stoppingToken), CancellationToken.None);
        await WhenCancelledAsync(stoppingToken).ConfigureAwait(false);

        await ShutdownAsync(polling).ConfigureAwait(false);
        await reconciling.ConfigureAwait(false);
        await heartbeatStop.CancelAsync().ConfigureAwait(false);
        await heartbeat.ConfigureAwait(false);
        Log.WorkerStopped(_logger, _options.QueueUrl);
    }

    /// <summary>
    /// Receives while there is room and the worker is not paused, until stopped; a failed receive is retried after a pause that doubles up to
    /// <see cref="TaskQueueWorkerOptions.MaxErrorBackoff"/>. A stop does not cancel a long poll under way: the server
    /// could still hand messages to the abandoned request and strand them until their visibility timeout. The poll
    /// ends by itself within <see cref="TaskQueueWorkerOptions.ReceiveWaitTime"/>, and what it brings is released.
    /// </summary>
    private async Task PollAsync(CancellationToken stoppingToken)
    {
        var errorBackoff = FirstErrorBackoff;
        var attempts = new ReceiveAttempts(_options.QueueUrl.EndsWith(".fifo", StringComparison.Ordinal), _time);
        while (!stoppingToken.IsCancellationRequested)
        {
            if (!await WhenResumedAsync(stoppingToken).ConfigureAwait(false)
                || await TakeSlotsAsync(stoppingToken).ConfigureAwait(false) is not { } slots)
            {
                return;
            }

            if (_pause.IsPaused)
            {
                // Paused while it waited for room: no receive until resumed.
                _capacity.Received(slots, 0);
                continue;
            }

            if (!await TakeTurnAsync(slots, stoppingToken).ConfigureAwait(false))
            {
                return;
            }

            var started = _time.GetTimestamp();
            var (messages, aborted) = await TryReceiveAsync(slots, attempts, errorBackoff).ConfigureAwait(false);
            if (aborted)
            {
                return;
            }

            if (messages is null)
            {
                if (!await PauseAsync(errorBackoff, stoppingToken).ConfigureAwait(false))
                {
                    return;
                }

                errorBackoff = TimeSpan.FromTicks(Math.Min(errorBackoff.Ticks * 2, _workerOptions.MaxErrorBackoff.Ticks));
                continue;
            }

            errorBackoff = FirstErrorBackoff;
            if (messages.Count == 0 && _time.GetElapsedTime(started) < _workerOptions.ReceiveWaitTime / 2)
            {
                // An empty answer long before the wait was up: the server does not long-poll. Pausing keeps an
                // empty queue from costing a request per round trip.
                Log.EmptyReceiveReturnedEarly(_logger, _workerOptions.ReceiveWaitTime.TotalSeconds);
                if (!await PauseAsync(FirstErrorBackoff, stoppingToken).ConfigureAwait(false))
                {
                    return;
                }

                continue;
            }

            // After a stop the sequencer starts none of these: it releases them at once.
            _sequencer.Enqueue(Hold(messages));
        }
    }

    /// <summary>
    /// Starts the leases of received messages. A message this worker already holds (its visibility ran out and it came
    /// back to the same worker) only renews the held lease: it must not wait behind itself and run twice. Its slot is freed.
    /// </summary>
    private List<MessageLease> Hold(IReadOnlyList<ReceivedMessage> messages)
    {
        var leases = new List<MessageLease>(messages.Count);
        for (var i = 0; i < messages.Count; i++)
        {
            if (_heartbeat.Track(messages[i]) is { } lease)
            {
                leases.Add(lease);
            }
        }

        if (leases.Count < messages.Count)
        {
            _capacity.Release(messages.Count - leases.Count);
        }

        return leases;
    }

    /// <summary>Waits while the worker is paused; false once stopped.</summary>
    private async Task<bool> WhenResumedAsync(CancellationToken stoppingToken)
    {
        try
        {
            await _pause.WhenResumedAsync(stoppingToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Waits for room for at least one message; null once stopped.</summary>
    private async Task<int?> TakeSlotsAsync(CancellationToken stoppingToken)
    {
        try
        {
            return await _capacity.TakeAsync(SqsLimits.MaxBatchEntries, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>Waits, where the host shares receiving by priority, until this worker may receive; false once stopped (its slots given back).</summary>
    private async Task<bool> TakeTurnAsync(int slots, CancellationToken stoppingToken)
    {
        if (_turn is null)
        {
            return true;
        }

        try
        {
            await _turn.WaitAsync(stoppingToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            _capacity.Received(slots, 0);
            return false;
        }
    }

    /// <summary>One receive for up to <paramref name="slots"/> messages; the slots it does not fill are given back.</summary>
    /// <returns>The messages; null messages when the receive failed (logged); aborted when the shutdown gave up on it or the worker must stop.</returns>
    /// <remarks>A failed receive is retried with its attempt id (see <see cref="ReceiveAttempts"/>).</remarks>
    private async Task<(IReadOnlyList<ReceivedMessage>? Messages, bool Aborted)> TryReceiveAsync(int slots, ReceiveAttempts attempts, TimeSpan nextPause)
    {
        try
        {
            var (attemptId, maxMessages) = attempts.Next(slots);
            var messages = await _sqs.ReceiveMessagesAsync(
                _options.QueueUrl,
                TaskReceives.Options(maxMessages, _workerOptions.ReceiveWaitTime, _options, attemptId, withTaskName: _throttle.Any),
                _receiveAbort.Token).ConfigureAwait(false);
            attempts.Answered();
            _capacity.Received(slots, messages.Count);
            _turn?.Received(messages.Count);
            Volatile.Write(ref _receiveFailures, 0);
            MarkActivity();
            return (messages, false);
        }
        catch (OperationCanceledException) when (_receiveAbort.IsCancellationRequested)
        {
            _capacity.Received(slots, 0);
            return (null, true);
        }
        catch (SqsConfigurationException ex)
        {
            _capacity.Received(slots, 0);
            StopOnConfigurationError(ex);
            return (null, true);
        }
#pragma warning disable CA1031 // Whatever a receive throws, the worker logs it, pauses and goes on.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _capacity.Received(slots, 0);
            _turn?.Received(0);
            Interlocked.Increment(ref _receiveFailures);
            Log.ReceiveFailed(_logger, ex, nextPause.TotalSeconds);
            return (null, false);
        }
    }

    /// <summary>Records the first error no retry can fix, logs it once (every poller may meet it), and stops the worker.</summary>
    private void StopOnConfigurationError(SqsConfigurationException error)
    {
        if (Interlocked.CompareExchange(ref _fault, error, null) is null)
        {
            Log.WorkerStoppedByConfigurationError(_logger, error, _options.QueueUrl, error.Message);
            _configurationFailure.Cancel();
        }
    }

    private void MarkActivity() => Interlocked.Exchange(ref _lastActivityTicks, _time.GetUtcNow().UtcTicks);

    private static Func<TaskMessage, TaskContext, Task<TaskOutcome>> Completing(Func<TaskMessage, TaskContext, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return (task, context) => CompletedOutcome.After(handler(task, context));
    }

    /// <summary>
    /// Starts no more tasks (waiting ones are released), lets the polls under way and the running tasks end
    /// within the shutdown timeout, then cancels the tasks still running, and flushes pending deletes.
    /// </summary>
    private async Task ShutdownAsync(Task polling)
    {
        Log.WorkerStopping(_logger, _workerOptions.ShutdownTimeout.TotalSeconds);
        await _sequencer.StopAsync().ConfigureAwait(false);
        var drained = DrainAsync(polling);
        if (!await CompletesWithinAsync(drained, _workerOptions.ShutdownTimeout).ConfigureAwait(false))
        {
            Log.CancellingRunningTasks(_logger);
            await _taskCancellation.CancelAsync().ConfigureAwait(false);
            _heartbeat.CancelRuns();

            // A poll under way still ends by itself within the receive wait: cutting it short would leave the
            // server a request to hand messages to that nobody reads, so it is aborted only as a last resort.
            if (!await CompletesWithinAsync(drained, _workerOptions.ReceiveWaitTime + CancelledTaskGrace).ConfigureAwait(false))
            {
                await _receiveAbort.CancelAsync().ConfigureAwait(false);
                Log.TasksIgnoredCancellation(_logger);
            }
        }

        // Deletes are retried while their receipts are valid; a server that stays away must not hold the stop for that long.
        if (!await CompletesWithinAsync(_deletes.FlushAsync(), _workerOptions.ShutdownTimeout + CancelledTaskGrace).ConfigureAwait(false))
        {
            Log.DeletesUnfinishedAtStop(_logger);
        }

        // Stored bodies of deleted messages; one left behind is the bucket lifecycle rule's.
        await CompletesWithinAsync(_payloads.DrainAsync(), CancelledTaskGrace).ConfigureAwait(false);
    }

    /// <summary>Completes when the pollers have returned and every message they brought has run or been released.</summary>
    private async Task DrainAsync(Task polling)
    {
        await polling.ConfigureAwait(false);
        await _sequencer.WhenIdleAsync().ConfigureAwait(false);
    }

    private static Task WhenCancelledAsync(CancellationToken token)
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        token.Register(() => cancelled.TrySetResult());
        return cancelled.Task;
    }

    private async Task<bool> CompletesWithinAsync(Task task, TimeSpan timeout)
    {
        try
        {
            await task.WaitAsync(timeout, _time).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Looks in the DLQ for tracked tasks no worker recorded, every <see cref="TaskQueueWorkerOptions.DeadLetterCheckInterval"/> until stopped.</summary>
    private async Task ReconcileDeadLettersAsync(DeadLetterReconciler reconciler, CancellationToken stoppingToken)
    {
        var interval = _workerOptions.DeadLetterCheckInterval;
        while (await PauseAsync(interval, stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await reconciler.ReconcileAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // SQS or the ledger failing here must not stop the worker: the next look tries again.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.DeadLetterReconcileFailed(_logger, ex, interval.TotalSeconds);
            }
        }
    }

    private async Task<bool> PauseAsync(TimeSpan delay, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(delay, _time, stoppingToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _taskCancellation.Dispose();
        _receiveAbort.Dispose();
        _configurationFailure.Dispose();
        _sequencer.Dispose();
        _throttle.Dispose();
        _pause.Dispose();
        _capacity.Dispose();
    }
}
