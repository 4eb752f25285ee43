using FluentAssertions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;
using TaskQueue.Sqs;

namespace TaskQueue.Tests.Worker;

/// <summary>The worker's hold on a message: a lost lease is given up, a message received again while held runs once.</summary>
public class WorkerLeaseTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly Mock<ISqsClient> _sqs = new();
    private readonly List<VisibilityChangeEntry> _visibilityChanges = [];
    private readonly List<ReceiptEntry> _deletes = [];

    public WorkerLeaseTests()
    {
        _sqs.Setup(s => s.DeleteMessageBatchAsync(TestMessages.QueueUrl, It.IsAny<IReadOnlyList<ReceiptEntry>>(), It.IsAny<CancellationToken>()))
            .Callback((string _, IReadOnlyList<ReceiptEntry> e, CancellationToken _) => { lock (_deletes) { _deletes.AddRange(e); } })
            .ReturnsAsync((string _, IReadOnlyList<ReceiptEntry> e, CancellationToken _) => new BatchResult(e.Select(x => x.Id).ToList(), []));
    }

    private void ReceiveInTurn(params ReceivedMessage[] messages)
    {
        var sequence = _sqs.SetupSequence(s => s.ReceiveMessagesAsync(TestMessages.QueueUrl, It.IsAny<ReceiveOptions>(), It.IsAny<CancellationToken>()));
        foreach (var message in messages)
        {
            sequence = sequence.ReturnsAsync([message]);
        }

        for (var i = 0; i < 50; i++)
        {
            sequence = sequence.Returns(async () =>
            {
                await Task.Delay(TimeSpan.FromSeconds(20), _time);
                return (IReadOnlyList<ReceivedMessage>)[];
            });
        }
    }

    private void ExtensionsAnswer(Func<VisibilityChangeEntry, BatchEntryFailure?> answer) =>
        _sqs.Setup(s => s.ChangeMessageVisibilityBatchAsync(TestMessages.QueueUrl, It.IsAny<IReadOnlyList<VisibilityChangeEntry>>(), It.IsAny<CancellationToken>()))
            .Callback((string _, IReadOnlyList<VisibilityChangeEntry> e, CancellationToken _) => { lock (_visibilityChanges) { _visibilityChanges.AddRange(e); } })
            .ReturnsAsync((string _, IReadOnlyList<VisibilityChangeEntry> e, CancellationToken _) =>
            {
                var failures = e.Select(answer).OfType<BatchEntryFailure>().ToList();
                return new BatchResult(e.Where(x => failures.All(f => f.Id != x.Id)).Select(x => x.Id).ToList(), failures);
            });

    private TaskQueueWorker Worker(Func<TaskMessage, TaskContext, Task> handler) => new(
        _sqs.Object,
        TestMessages.Options(o => o.VisibilityTimeout = TimeSpan.FromSeconds(4)),
        Options.Create(new TaskQueueWorkerOptions { ShutdownTimeout = TimeSpan.FromSeconds(1), DeleteFlushInterval = TimeSpan.Zero }),
        handler,
        timeProvider: _time);

    [Fact]
    public async Task Run_ExtensionRefused_TaskTokenCancelledNothingDeletedNorReleased()
    {
        ReceiveInTurn(TestMessages.Received(TestMessages.TaskBody(), messageId: "m-1", receipt: "r-1"));
        ExtensionsAnswer(e => new BatchEntryFailure(e.Id, "ReceiptHandleIsInvalid", "the receipt handle has expired", SenderFault: true));
        var cancelled = new TaskCompletionSource();
        using var worker = Worker(async (_, context) =>
        {
            await using var registration = context.CancellationToken.Register(() => cancelled.TrySetResult());
            await Task.Delay(Timeout.InfiniteTimeSpan, context.CancellationToken);
        });
        using var stop = new CancellationTokenSource();
        var running = worker.RunAsync(stop.Token);

        await AdvanceUntil(() => cancelled.Task.IsCompleted);
        await stop.CancelAsync();
        await AdvanceUntilDone(running);

        _visibilityChanges.Should().ContainSingle("the refused extension; no release with a receipt that no longer holds the message")
            .Which.VisibilityTimeout.Should().BeGreaterThan(TimeSpan.Zero);
        _deletes.Should().BeEmpty();
        _sqs.Verify(s => s.ChangeMessageVisibilityAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()), Times.Never());
    }

    [Fact]
    public async Task Stop_TaskOutlastsShutdownTimeout_ItsTokenIsCancelledAndTheMessageReleased()
    {
        ReceiveInTurn(TestMessages.Received(TestMessages.TaskBody(), messageId: "m-1", receipt: "r-1"));
        ExtensionsAnswer(_ => null);
        var started = new TaskCompletionSource();
        var cancelled = new TaskCompletionSource();
        using var worker = Worker(async (_, context) =>
        {
            await using var registration = context.CancellationToken.Register(() => cancelled.TrySetResult());
            started.TrySetResult();
            await Task.Delay(Timeout.InfiniteTimeSpan, context.CancellationToken);
        });
        using var stop = new CancellationTokenSource();
        var running = worker.RunAsync(stop.Token);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));

        await stop.CancelAsync();
        await AdvanceUntilDone(running);

        cancelled.Task.IsCompleted.Should().BeTrue("the shutdown gave up waiting: the run's own token is cancelled");
        _deletes.Should().BeEmpty();
        _sqs.Verify(s => s.ChangeMessageVisibilityBatchAsync(
            TestMessages.QueueUrl, It.Is<IReadOnlyList<VisibilityChangeEntry>>(e => e.Any(x => x.VisibilityTimeout == TimeSpan.Zero)), It.IsAny<CancellationToken>()), Times.Once());
    }

    [Fact]
    public async Task Run_HandlerIgnoresCancellationAfterLeaseLost_CompletionNotDeleted()
    {
        ReceiveInTurn(TestMessages.Received(TestMessages.TaskBody(), messageId: "m-1", receipt: "r-1"));
        ExtensionsAnswer(e => new BatchEntryFailure(e.Id, "MessageNotInflight", "not in flight", SenderFault: true));
        var finish = new TaskCompletionSource();
        var lost = new TaskCompletionSource();
        var ended = new TaskCompletionSource();
        using var worker = Worker(async (_, context) =>
        {
            context.CancellationToken.Register(() => lost.TrySetResult());
            await finish.Task;
            ended.TrySetResult();
        });
        using var stop = new CancellationTokenSource();
        var running = worker.RunAsync(stop.Token);

        await AdvanceUntil(() => lost.Task.IsCompleted);
        finish.SetResult();
        await ended.Task;
        await stop.CancelAsync();
        await AdvanceUntilDone(running);

        _deletes.Should().BeEmpty("a run whose lease was lost is never reported as done by this worker");
    }

    [Fact]
    public async Task Run_MessageReceivedAgainWhileRunning_RunsOnceAndNewestReceiptDeletes()
    {
        ReceiveInTurn(
            TestMessages.Received(TestMessages.TaskBody(), messageId: "m-1", receipt: "r-1"),
            TestMessages.Received(TestMessages.TaskBody(), receiveCount: 2, messageId: "m-1", receipt: "r-2"));
        ExtensionsAnswer(_ => null);
        var runs = 0;
        var finish = new TaskCompletionSource();
        using var worker = Worker(async (_, _) =>
        {
            Interlocked.Increment(ref runs);
            await finish.Task;
        });
        using var stop = new CancellationTokenSource();
        var running = worker.RunAsync(stop.Token);

        await AdvanceUntil(() => _sqs.Invocations.Count(i => i.Method.Name == nameof(ISqsClient.ReceiveMessagesAsync)) >= 3);
        finish.SetResult();
        await AdvanceUntil(() => { lock (_deletes) { return _deletes.Count > 0; } });
        await stop.CancelAsync();
        await AdvanceUntilDone(running);

        Volatile.Read(ref runs).Should().Be(1, "the second receive of a message this worker holds must not queue it behind itself");
        _deletes.Should().ContainSingle().Which.ReceiptHandle.Should().Be("r-2", "only the newest receipt still deletes the message");
    }

    [Fact]
    public async Task Run_LeaseLostThenReceivedAgainWhileHandlerFinishes_RunsOnceNewestReceiptDeletes()
    {
        ReceiveInTurn(TestMessages.Received(TestMessages.TaskBody(), messageId: "m-1", receipt: "r-1"));
        var extensions = 0;
        ExtensionsAnswer(e => Interlocked.Increment(ref extensions) > 0 ? new BatchEntryFailure(e.Id, "InternalError", "busy", SenderFault: true) : null);
        var runs = 0;
        var lost = new TaskCompletionSource();
        var finish = new TaskCompletionSource();
        using var worker = Worker(async (_, context) =>
        {
            Interlocked.Increment(ref runs);
            context.CancellationToken.Register(() => lost.TrySetResult());
            await finish.Task;
        });
        using var stop = new CancellationTokenSource();
        var running = worker.RunAsync(stop.Token);
        await AdvanceUntil(() => lost.Task.IsCompleted);

        // The same worker receives it again before its run ends: it holds the message again.
        ReceiveInTurn(TestMessages.Received(TestMessages.TaskBody(), receiveCount: 2, messageId: "m-1", receipt: "r-2"));
        await AdvanceUntil(() => _sqs.Invocations.Count(i => i.Method.Name == nameof(ISqsClient.ReceiveMessagesAsync)) >= 3);
        finish.SetResult();
        await AdvanceUntil(() => { lock (_deletes) { return _deletes.Count > 0; } });
        await stop.CancelAsync();
        await AdvanceUntilDone(running);

        Volatile.Read(ref runs).Should().Be(1);
        _deletes.Should().ContainSingle().Which.ReceiptHandle.Should().Be("r-2");
    }

    /// <summary>Moves fake time on in small steps until <paramref name="condition"/> holds: the heartbeat and polls wait on the fake clock.</summary>
    private async Task AdvanceUntil(Func<bool> condition)
    {
        for (var i = 0; i < 400 && !condition(); i++)
        {
            await Task.Delay(2);
            _time.Advance(TimeSpan.FromMilliseconds(250));
        }

        condition().Should().BeTrue();
    }

    private Task AdvanceUntilDone(Task task) => AdvanceUntil(() => task.IsCompleted);
}
