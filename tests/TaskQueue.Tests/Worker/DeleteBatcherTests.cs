using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moq;
using TaskQueue.Sqs;

namespace TaskQueue.Tests.Worker;

public class DeleteBatcherTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly Mock<ISqsClient> _sqs = new(MockBehavior.Strict);
    private readonly List<IReadOnlyList<ReceiptEntry>> _calls = [];

    private DeleteBatcher Batcher(TimeSpan flushInterval) => new(_sqs.Object, TestMessages.QueueUrl, flushInterval, _time, NullLogger.Instance);

    private void Answer(Func<IReadOnlyList<ReceiptEntry>, BatchResult> answer) =>
        _sqs.Setup(s => s.DeleteMessageBatchAsync(TestMessages.QueueUrl, It.IsAny<IReadOnlyList<ReceiptEntry>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string _, IReadOnlyList<ReceiptEntry> e, CancellationToken _) =>
            {
                lock (_calls)
                {
                    _calls.Add(e);
                }

                return answer(e);
            });

    private static BatchResult AllSucceed(IReadOnlyList<ReceiptEntry> entries) => new(entries.Select(e => e.Id).ToList(), []);

    private static ReceivedMessage Message(int i) => TestMessages.Received("{}", messageId: $"m{i}", receipt: $"r{i}");

    private ReceiptDeadline ValidUntil => ReceiptDeadline.After(_time, TimeSpan.FromMinutes(5));

    [Fact]
    public async Task Delete_TenPending_SentAtOnceInOneCall()
    {
        Answer(AllSucceed);
        var batcher = Batcher(TimeSpan.FromSeconds(1));

        var deletes = Enumerable.Range(0, 10).Select(i => batcher.DeleteAsync(Message(i), ValidUntil)).ToList();

        (await Task.WhenAll(deletes)).Should().AllBeEquivalentTo(true);
        _calls.Should().ContainSingle().Which.Should().HaveCount(10);
    }

    [Fact]
    public async Task Delete_FewerThanTen_WaitForFlushInterval()
    {
        Answer(AllSucceed);
        var batcher = Batcher(TimeSpan.FromMilliseconds(200));

        var deletes = Enumerable.Range(0, 3).Select(i => batcher.DeleteAsync(Message(i), ValidUntil)).ToList();
        await Task.Delay(50);
        _calls.Should().BeEmpty("the batch waits for more entries until the interval ends");

        _time.Advance(TimeSpan.FromMilliseconds(200));

        (await Task.WhenAll(deletes)).Should().AllBeEquivalentTo(true);
        _calls.Should().ContainSingle().Which.Select(e => e.ReceiptHandle).Should().Equal("r0", "r1", "r2");
    }

    [Fact]
    public async Task Delete_AfterAFullBatchWentOut_NextEntryWaitsAWholeIntervalOfItsOwn()
    {
        Answer(AllSucceed);
        var batcher = Batcher(TimeSpan.FromMilliseconds(200));
        var first = batcher.DeleteAsync(Message(0), ValidUntil);
        _time.Advance(TimeSpan.FromMilliseconds(150));
        var rest = Enumerable.Range(1, 9).Select(i => batcher.DeleteAsync(Message(i), ValidUntil)).ToList();
        (await Task.WhenAll([first, .. rest])).Should().AllBeEquivalentTo(true);

        var next = batcher.DeleteAsync(Message(10), ValidUntil);
        _time.Advance(TimeSpan.FromMilliseconds(100));
        _calls.Should().ContainSingle("the interval counts from the next batch's first entry, not from the full batch's");

        _time.Advance(TimeSpan.FromMilliseconds(100));
        (await next).Should().BeTrue();
        _calls.Should().HaveCount(2).And.Subject.Last().Select(e => e.ReceiptHandle).Should().Equal("r10");
    }

    [Fact]
    public async Task Delete_BatchesOneAfterAnother_EachCallHoldsOnlyItsOwnEntries()
    {
        Answer(AllSucceed);
        var batcher = Batcher(TimeSpan.FromSeconds(5));

        // A sent batch's list is reused by a later batch: what it held must not be sent again.
        foreach (var size in new[] { 10, 10, 3 })
        {
            var start = _calls.Sum(c => c.Count);
            var deletes = Enumerable.Range(start, size).Select(i => batcher.DeleteAsync(Message(i), ValidUntil)).ToList();
            await batcher.FlushAsync();
            (await Task.WhenAll(deletes)).Should().AllBeEquivalentTo(true);
        }

        _calls.Select(c => c.Select(e => e.ReceiptHandle)).Should().BeEquivalentTo(
            new[] { Enumerable.Range(0, 10), Enumerable.Range(10, 10), Enumerable.Range(20, 3) }.Select(r => r.Select(i => $"r{i}")),
            o => o.WithStrictOrdering());
    }

    [Fact]
    public async Task Flush_PendingEntries_SentWithoutWaiting()
    {
        Answer(AllSucceed);
        var batcher = Batcher(TimeSpan.FromSeconds(5));
        var delete = batcher.DeleteAsync(Message(0), ValidUntil);

        await batcher.FlushAsync();

        delete.IsCompletedSuccessfully.Should().BeTrue();
        (await delete).Should().BeTrue();
    }

    [Fact]
    public async Task Delete_EntryFailsTransiently_RetriedUntilDeleted()
    {
        var attempts = 0;
        Answer(e => Interlocked.Increment(ref attempts) == 1
            ? new BatchResult([e[0].Id], [new BatchEntryFailure(e[1].Id, "InternalError", "busy", SenderFault: false)])
            : AllSucceed(e));
        var batcher = Batcher(TimeSpan.FromMilliseconds(100));

        var first = batcher.DeleteAsync(Message(0), ValidUntil);
        var second = batcher.DeleteAsync(Message(1), ValidUntil);
        await AdvanceUntilDone(Task.WhenAll(first, second));

        (await first).Should().BeTrue();
        (await second).Should().BeTrue();
        _calls.Select(c => c.Count).Should().Equal(2, 1);
        _calls[1].Single().ReceiptHandle.Should().Be("r1");
    }

    [Fact]
    public async Task Delete_ThrottledCall_RetriedAfterPause()
    {
        var attempts = 0;
        _sqs.Setup(s => s.DeleteMessageBatchAsync(TestMessages.QueueUrl, It.IsAny<IReadOnlyList<ReceiptEntry>>(), It.IsAny<CancellationToken>()))
            .Returns((string _, IReadOnlyList<ReceiptEntry> e, CancellationToken _) => Interlocked.Increment(ref attempts) == 1
                ? Task.FromException<BatchResult>(new SqsThrottledException("slow down"))
                : Task.FromResult(AllSucceed(e)));
        var batcher = Batcher(TimeSpan.Zero);

        var delete = batcher.DeleteAsync(Message(0), ValidUntil);
        await AdvanceUntilDone(delete);

        (await delete).Should().BeTrue();
        attempts.Should().Be(2);
    }

    [Fact]
    public async Task Delete_InvalidReceipt_NotRetriedReportsFalse()
    {
        Answer(e => new BatchResult([], [new BatchEntryFailure(e[0].Id, "ReceiptHandleIsInvalid", "expired", SenderFault: true)]));
        var batcher = Batcher(TimeSpan.Zero);

        (await batcher.DeleteAsync(Message(0), ValidUntil)).Should().BeFalse();
        _calls.Should().HaveCount(1);
    }

    [Fact]
    public async Task Delete_ReceiptExpiresDuringRetries_GivesUp()
    {
        Answer(e => new BatchResult([], [new BatchEntryFailure(e[0].Id, "InternalError", "busy", SenderFault: false)]));
        var batcher = Batcher(TimeSpan.Zero);

        var delete = batcher.DeleteAsync(Message(0), ReceiptDeadline.After(_time, TimeSpan.FromMilliseconds(100)));
        await AdvanceUntilDone(delete);

        (await delete).Should().BeFalse();
        _calls.Should().HaveCount(2, "past the receipt's deadline one last try is made, then no more");
    }

    [Fact]
    public async Task Delete_AnswerLostAndDeadlinePassed_OneLastTryFindsItDeleted()
    {
        var calls = 0;
        _sqs.Setup(s => s.DeleteMessageBatchAsync(TestMessages.QueueUrl, It.IsAny<IReadOnlyList<ReceiptEntry>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string _, IReadOnlyList<ReceiptEntry> e, CancellationToken _) => ++calls == 1
                ? throw new SqsRequestException("no answer", "InternalError", isTransient: true, null)
                : new BatchResult([e[0].Id], []));
        var batcher = Batcher(TimeSpan.Zero);

        var delete = batcher.DeleteAsync(Message(0), ReceiptDeadline.After(_time, TimeSpan.FromMilliseconds(50)));
        await AdvanceUntilDone(delete);

        (await delete).Should().BeTrue("the worker's deadline is conservative: SQS still took the receipt (or had already deleted the message)");
        calls.Should().Be(2);
    }

    [Fact]
    public async Task Delete_ServerDownLongerThanFirstPauses_RetriedUntilReceiptExpires()
    {
        var batcher = Batcher(TimeSpan.Zero);

        var start = _time.GetUtcNow();
        var sentAt = new List<TimeSpan>();
        _sqs.Setup(s => s.DeleteMessageBatchAsync(TestMessages.QueueUrl, It.IsAny<IReadOnlyList<ReceiptEntry>>(), It.IsAny<CancellationToken>()))
            .Callback(() => sentAt.Add(_time.GetUtcNow() - start))
            .ReturnsAsync((string _, IReadOnlyList<ReceiptEntry> e, CancellationToken _) => new BatchResult([], [new BatchEntryFailure(e[0].Id, "InternalError", "busy", SenderFault: false)]));

        var delete = batcher.DeleteAsync(Message(0), ReceiptDeadline.After(_time, TimeSpan.FromSeconds(12)));
        await AdvanceUntilDone(delete);

        (await delete).Should().BeFalse();
        sentAt.Take(5).Should().Equal([0, 0.2, 0.6, 1.4, 3.0], (a, b) => Math.Abs(a.TotalSeconds - b) < 0.11, "pauses double from 200 ms");
        sentAt.Zip(sentAt.Skip(1)).Should().OnlyContain(p => p.Second - p.First <= TimeSpan.FromSeconds(5.1), "no pause is longer than 5 s");
        sentAt[^1].Should().BeGreaterThan(TimeSpan.FromSeconds(11.5), "the last tries come close together just before the receipt expires");
        sentAt[^1].Should().BeLessThan(TimeSpan.FromSeconds(12.25), "one last try just past the deadline, then no more");
    }

    /// <summary>Moves fake time on in small steps until the task completes: retries wait on the fake clock.</summary>
    private async Task AdvanceUntilDone(Task task)
    {
        for (var i = 0; i < 200 && !task.IsCompleted; i++)
        {
            await Task.Delay(5);
            _time.Advance(TimeSpan.FromMilliseconds(100));
        }

        task.IsCompleted.Should().BeTrue();
    }
}
