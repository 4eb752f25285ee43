using System.Collections.Concurrent;
using System.Globalization;
using FluentAssertions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TaskQueue.Sqs;
using TaskQueue.Testing;

namespace TaskQueue.Tests.Worker.Flow;

/// <summary>A worker on the in-memory SQS and a fake clock, recording when each task starts and ends.</summary>
internal sealed class FakeTimeWorkerRig : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private TaskQueueWorker? _worker;
    private Task _running = Task.CompletedTask;
    private int _runningNow;
    private int _maxRunning;

    private FakeTimeWorkerRig(FakeTimeProvider time, InMemorySqsClient sqs, string queueUrl)
    {
        Time = time;
        Sqs = sqs;
        QueueUrl = queueUrl;
        WorkerSqs = new ReceiveWatchingSqsClient(sqs);
    }

    /// <summary>The worker's view of SQS, counting its receives.</summary>
    public ReceiveWatchingSqsClient WorkerSqs { get; }

    public FakeTimeProvider Time { get; }

    public InMemorySqsClient Sqs { get; }

    public string QueueUrl { get; }

    public TaskQueueWorker Worker => _worker ?? throw new InvalidOperationException("Start the worker first.");

    /// <summary>Each run as it started: entity, task name, sequence number within the group, and the fake time.</summary>
    public ConcurrentQueue<(string EntityId, string TaskName, int Sequence, DateTimeOffset At)> Starts { get; } = new();

    public ConcurrentQueue<string> Completed { get; } = new();

    /// <summary>The attempt of each run as SQS counted it: above 1, the message was received again.</summary>
    public ConcurrentQueue<int> ReceiveCounts { get; } = new();

    /// <summary>Most handlers running at once.</summary>
    public int MaxRunning => Volatile.Read(ref _maxRunning);

    public static async Task<FakeTimeWorkerRig> CreateAsync(TimeSpan? visibilityTimeout = null, FifoReceiveMode mode = FifoReceiveMode.SeveralPerGroup)
    {
        var time = new FakeTimeProvider();
        var sqs = new InMemorySqsClient(time, new InMemorySqsOptions { FifoReceiveMode = mode });
        var queueUrl = await sqs.CreateQueueAsync("flow.fifo", new Dictionary<string, string>
        {
            [QueueAttributeNames.FifoQueue] = "true",
            [QueueAttributeNames.VisibilityTimeout] = ((int)(visibilityTimeout ?? TimeSpan.FromSeconds(30)).TotalSeconds).ToString(CultureInfo.InvariantCulture),
        });
        return new FakeTimeWorkerRig(time, sqs, queueUrl);
    }

    public static string Body(string entityId, string taskName, int sequence) =>
        $$$"""{"entity_id":"{{{entityId}}}","task_name":"{{{taskName}}}","task_config":{"seq":{{{sequence}}}}}""";

    /// <summary>Sends tasks in the order given, each in the group of its entity and task name.</summary>
    public async Task SendAsync(params (string EntityId, string TaskName, int Sequence)[] tasks)
    {
        var serial = 0;
        foreach (var chunk in tasks.Chunk(10))
        {
            var entries = chunk.Select(t => new OutgoingMessage($"e{serial++}", Body(t.EntityId, t.TaskName, t.Sequence), $"{t.EntityId}-{t.TaskName}", Guid.NewGuid().ToString("N"))).ToList();
            var result = await Sqs.SendMessageBatchAsync(QueueUrl, entries);
            result.Failed.Should().BeEmpty();
        }
    }

    /// <summary>Sends one message of the task in its group with the message attributes given, as a producer writes them.</summary>
    public async Task SendAsync(string body, string groupId, IReadOnlyDictionary<string, string>? attributes)
    {
        var result = await Sqs.SendMessageBatchAsync(QueueUrl, [new OutgoingMessage("e0", body, groupId, Guid.NewGuid().ToString("N"), attributes)]);
        result.Failed.Should().BeEmpty();
    }

    /// <summary>Starts a worker whose handler records each run, then runs <paramref name="work"/>.</summary>
    /// <param name="configure">Sets the worker's options.</param>
    /// <param name="work">What each task does after it is recorded.</param>
    /// <param name="payloadStore">Where the worker reads stored bodies from; none when null.</param>
    /// <param name="logger">Where the worker logs; nowhere when null.</param>
    public TaskQueueWorker Start(
        Action<TaskQueueWorkerOptions> configure,
        Func<TaskMessage, TaskContext, Task>? work = null,
        IPayloadStore? payloadStore = null,
        ILogger<TaskQueueWorker>? logger = null)
    {
        var options = new TaskQueueWorkerOptions { ReceiveWaitTime = TimeSpan.FromSeconds(20), DeleteFlushInterval = TimeSpan.Zero, ShutdownTimeout = TimeSpan.FromSeconds(5) };
        configure(options);
        _worker = new TaskQueueWorker(
            WorkerSqs,
            TestMessages.Options(o =>
            {
                o.QueueUrl = QueueUrl;
                o.VisibilityTimeout = TimeSpan.FromSeconds(30);
            }),
            Options.Create(options),
            async (task, context) =>
            {
                var sequence = int.Parse(task.TaskConfig.GetProperty("seq").GetRawText(), CultureInfo.InvariantCulture);
                Starts.Enqueue((task.EntityId, task.TaskName, sequence, Time.GetUtcNow()));
                ReceiveCounts.Enqueue(context.ReceiveCount);
                var now = Interlocked.Increment(ref _runningNow);
                int seen;
                while ((seen = Volatile.Read(ref _maxRunning)) < now && Interlocked.CompareExchange(ref _maxRunning, now, seen) != seen)
                {
                }

                try
                {
                    if (work is not null)
                    {
                        await work(task, context);
                    }
                }
                finally
                {
                    Interlocked.Decrement(ref _runningNow);
                }

                Completed.Enqueue($"{task.EntityId}/{task.TaskName}#{sequence}");
            },
            logger,
            Time,
            payloadStore: payloadStore);
        _running = _worker.RunAsync(_stop.Token);
        return _worker;
    }

    public IEnumerable<(string EntityId, string TaskName, int Sequence, DateTimeOffset At)> StartsOf(string taskName) => Starts.Where(s => s.TaskName == taskName);

    /// <summary>Moves fake time on in small steps until <paramref name="condition"/> holds: polls, permits and the heartbeat wait on it.</summary>
    public async Task AdvanceUntilAsync(Func<bool> condition, string because, TimeSpan? step = null, int maxSteps = 2000)
    {
        for (var i = 0; i < maxSteps && !condition(); i++)
        {
            await Task.Delay(1);
            if (!condition())
            {
                Time.Advance(step ?? TimeSpan.FromMilliseconds(100));
            }
        }

        condition().Should().BeTrue(because);
    }

    /// <summary>Moves fake time on by <paramref name="total"/> in half-second steps, letting the worker's timers and the heartbeat keep up.</summary>
    public async Task AdvanceByAsync(TimeSpan total)
    {
        for (var passed = TimeSpan.Zero; passed < total; passed += TimeSpan.FromMilliseconds(500))
        {
            await Task.Delay(1);
            Time.Advance(TimeSpan.FromMilliseconds(500));
        }

        await SettleAsync();
    }

    /// <summary>Lets the worker's threads run without moving time, for checks that something does not happen.</summary>
    public static Task SettleAsync() => Task.Delay(50);

    public async Task<(long Available, long InFlight)> CountsAsync()
    {
        var attributes = await Sqs.GetQueueAttributesAsync(QueueUrl, [QueueAttributeNames.ApproximateNumberOfMessages, QueueAttributeNames.ApproximateNumberOfMessagesNotVisible]);
        return (long.Parse(attributes[QueueAttributeNames.ApproximateNumberOfMessages], CultureInfo.InvariantCulture),
            long.Parse(attributes[QueueAttributeNames.ApproximateNumberOfMessagesNotVisible], CultureInfo.InvariantCulture));
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await AdvanceUntilAsync(() => _running.IsCompleted, "the worker stops");
        await _running;
    }

    public void Dispose()
    {
        _worker?.Dispose();
        _stop.Dispose();
    }
}
