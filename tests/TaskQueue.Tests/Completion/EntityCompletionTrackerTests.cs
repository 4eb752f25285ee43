using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moq;
using TaskQueue.Sqs;
using TaskQueue.Testing;

namespace TaskQueue.Tests.Completion;

/// <summary>The order of record, claim, announcement and mark, and what a try that failed half way does on the next try.</summary>
public class EntityCompletionTrackerTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly InMemoryEntityLedger _ledger = new();
    private readonly Mock<IEntityCompletionHandler> _first = new();
    private readonly Mock<IEntityCompletionHandler> _second = new();

    private static TaskMessage TaskOf(string name, string batchId = "b-1", int total = 1) =>
        new("doc-1", name, default, default, null, total) { BatchId = batchId };

    private EntityCompletionTracker Tracker(IEntityLedger? ledger = null) =>
        new(new EntityTracking(ledger ?? _ledger, [_first.Object, _second.Object]), _time, NullLogger.Instance);

    [Fact]
    public async Task Record_LastTaskOfTheBatch_AnnouncesOnceToEachHandlerAndMarksIt()
    {
        var tracker = Tracker();

        await tracker.RecordFinishedAsync("m-1", TaskOf("a", total: 2), EntityTaskState.Completed, 1, null, TimeSpan.FromSeconds(1), default);
        _first.Verify(h => h.OnEntityCompletedAsync(It.IsAny<EntityBatchStatus>(), It.IsAny<CancellationToken>()), Times.Never(), "one of two tasks is not a completion");
        await tracker.RecordFinishedAsync("m-2", TaskOf("b", total: 2), EntityTaskState.Completed, 1, null, TimeSpan.FromSeconds(1), default);

        _first.Verify(h => h.OnEntityCompletedAsync(It.Is<EntityBatchStatus>(b => b.BatchId == "b-1" && b.IsComplete), It.IsAny<CancellationToken>()), Times.Once());
        _second.Verify(h => h.OnEntityCompletedAsync(It.IsAny<EntityBatchStatus>(), It.IsAny<CancellationToken>()), Times.Once());
        (await _ledger.GetBatchesAsync("doc-1", default)).Single().AnnouncedRevision.Should().Be(1);
    }

    [Fact]
    public async Task Record_SecondHandlerFailsOnce_RetryCallsOnlyTheHandlerThatFailed()
    {
        _second.SetupSequence(h => h.OnEntityCompletedAsync(It.IsAny<EntityBatchStatus>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new InvalidOperationException("topic unreachable"))
            .Returns(Task.CompletedTask);
        var tracker = Tracker();

        var firstTry = () => tracker.RecordFinishedAsync("m-1", TaskOf("a"), EntityTaskState.Completed, 1, null, TimeSpan.Zero, default);
        await firstTry.Should().ThrowAsync<InvalidOperationException>();
        (await _ledger.GetBatchesAsync("doc-1", default)).Single().AnnouncedRevision.Should().Be(0, "not announced to every handler yet");
        await tracker.RecordFinishedAsync("m-1", TaskOf("a"), EntityTaskState.Completed, 1, null, TimeSpan.Zero, default);

        _first.Verify(h => h.OnEntityCompletedAsync(It.IsAny<EntityBatchStatus>(), It.IsAny<CancellationToken>()), Times.Once(), "a retry is no reason to announce twice");
        _second.Verify(h => h.OnEntityCompletedAsync(It.IsAny<EntityBatchStatus>(), It.IsAny<CancellationToken>()), Times.Exactly(2));
        (await _ledger.GetBatchesAsync("doc-1", default)).Single().AnnouncedRevision.Should().Be(1);
    }

    [Fact]
    public async Task Record_MarkFailsAfterTheAnnouncement_RetryMarksWithoutAnnouncingAgain()
    {
        var ledger = new Mock<IEntityLedger>();
        ledger.Setup(l => l.RecordAsync(It.IsAny<TaskFate>(), It.IsAny<CancellationToken>())).Returns((TaskFate f, CancellationToken t) => _ledger.RecordAsync(f, t));
        ledger.Setup(l => l.TryClaimCompletionAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<int>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns((string e, string b, int r, string c, CancellationToken t) => _ledger.TryClaimCompletionAsync(e, b, r, c, t));
        ledger.SetupSequence(l => l.MarkAnnouncedAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<int>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new TimeoutException("ledger timed out"))
            .Returns(() => _ledger.MarkAnnouncedAsync("doc-1", "b-1", 1, default));
        var tracker = Tracker(ledger.Object);

        var firstTry = () => tracker.RecordFinishedAsync("m-1", TaskOf("a"), EntityTaskState.Completed, 1, null, TimeSpan.Zero, default);
        await firstTry.Should().ThrowAsync<TimeoutException>();
        await tracker.RecordFinishedAsync("m-1", TaskOf("a"), EntityTaskState.Completed, 1, null, TimeSpan.Zero, default);

        _first.Verify(h => h.OnEntityCompletedAsync(It.IsAny<EntityBatchStatus>(), It.IsAny<CancellationToken>()), Times.Once());
        (await _ledger.GetBatchesAsync("doc-1", default)).Single().AnnouncedRevision.Should().Be(1);
    }

    [Fact]
    public async Task Record_AnotherMessageHoldsTheClaim_DoesNotAnnounce()
    {
        await _ledger.RecordAsync(new TaskFate("doc-1", "b-1", "a", 1, EntityTaskState.Completed, 1, null, null, _time.GetUtcNow(), TimeSpan.Zero), default);
        (await _ledger.TryClaimCompletionAsync("doc-1", "b-1", 1, "m-other", default)).Should().BeTrue();

        await Tracker().RecordFinishedAsync("m-1", TaskOf("a"), EntityTaskState.Completed, 1, null, TimeSpan.Zero, default);

        _first.Verify(h => h.OnEntityCompletedAsync(It.IsAny<EntityBatchStatus>(), It.IsAny<CancellationToken>()), Times.Never(), "the claim's holder announces");
    }

    [Fact]
    public async Task Record_DeadLetteredTask_TellsTheHandlersOnceAndTheBatchCompletesWithThatOutcome()
    {
        await Tracker().RecordFinishedAsync("m-1", TaskOf("a"), EntityTaskState.DeadLettered, 5, "failed 5 attempts", TimeSpan.Zero, default);

        _first.Verify(h => h.OnTaskDeadLetteredAsync(It.Is<TaskFate>(f => f.TaskName == "a" && f.Attempts == 5 && f.LastError == "failed 5 attempts"), It.IsAny<CancellationToken>()), Times.Once());
        _first.Verify(h => h.OnEntityCompletedAsync(It.Is<EntityBatchStatus>(b => b.IsComplete && !b.AllSucceeded), It.IsAny<CancellationToken>()), Times.Once());
    }

    [Fact]
    public async Task Record_UntrackedTask_NoLedgerCall()
    {
        var ledger = new Mock<IEntityLedger>(MockBehavior.Strict);

        await Tracker(ledger.Object).RecordFinishedAsync("m-1", new TaskMessage("doc-1", "a", default, default, null, 3), EntityTaskState.Completed, 1, null, TimeSpan.Zero, default);
    }
}
