using FluentAssertions;
using Moq;
using TaskQueue.Sqs;

namespace TaskQueue.Tests;

public class DeadLetterPeekTests
{
    private readonly Mock<ISqsClient> _sqs = new(MockBehavior.Strict);
    private readonly List<VisibilityChangeEntry> _released = [];

    private TaskQueueHandler Handler() => new(_sqs.Object, TestMessages.Options(o => o.DeadLetterQueueUrl = TestMessages.DlqUrl));

    private void ReleaseSucceeds() =>
        _sqs.Setup(s => s.ChangeMessageVisibilityBatchAsync(TestMessages.DlqUrl, It.IsAny<IReadOnlyList<VisibilityChangeEntry>>(), It.IsAny<CancellationToken>()))
            .Callback((string _, IReadOnlyList<VisibilityChangeEntry> e, CancellationToken _) => _released.AddRange(e))
            .ReturnsAsync((string _, IReadOnlyList<VisibilityChangeEntry> e, CancellationToken _) => new BatchResult(e.Select(x => x.Id).ToList(), []));

    private static ReceivedMessage[] Page(int from, int count) =>
        Enumerable.Range(from, count)
            .Select(i => TestMessages.Received(TestMessages.TaskBody(taskName: $"t{i}"), receiveCount: 4, messageId: $"m{i}", receipt: $"r{i}", group: $"doc-1-t{i}"))
            .ToArray();

    [Fact]
    public async Task GetDlqMessages_Peek_ReleasesEveryMessageItReceived()
    {
        _sqs.SetupSequence(s => s.ReceiveMessagesAsync(TestMessages.DlqUrl, It.IsAny<ReceiveOptions>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Page(0, 3))
            .ReturnsAsync([]);
        ReleaseSucceeds();

        var peeked = await Handler().GetDlqMessagesAsync(10);

        peeked.Select(p => p.TaskName).Should().Equal("t0", "t1", "t2");
        peeked[0].EntityId.Should().Be("doc-1");
        peeked[0].ReceiveCount.Should().Be(4);
        peeked[0].ReceiptHandle.Should().Be("r0");
        peeked[0].EnqueuedAt.Should().NotBeNull();
        _released.Select(r => r.ReceiptHandle).Should().BeEquivalentTo("r0", "r1", "r2");
        _released.Should().OnlyContain(r => r.VisibilityTimeout == TimeSpan.Zero);
        _sqs.Verify(s => s.DeleteMessageAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task GetDlqMessages_MoreThanTen_PagesAndReleasesInBatchesOfTen()
    {
        var asked = new List<int>();
        _sqs.SetupSequence(s => s.ReceiveMessagesAsync(TestMessages.DlqUrl, It.IsAny<ReceiveOptions>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Page(0, 10))
            .ReturnsAsync(Page(10, 10))
            .ReturnsAsync(Page(20, 5));
        _sqs.Setup(s => s.ChangeMessageVisibilityBatchAsync(TestMessages.DlqUrl, It.IsAny<IReadOnlyList<VisibilityChangeEntry>>(), It.IsAny<CancellationToken>()))
            .Callback((string _, IReadOnlyList<VisibilityChangeEntry> e, CancellationToken _) => { asked.Add(e.Count); _released.AddRange(e); })
            .ReturnsAsync(new BatchResult([], []));

        var peeked = await Handler().GetDlqMessagesAsync(25);

        peeked.Should().HaveCount(25);
        asked.Should().Equal(10, 10, 5);
        _released.Should().HaveCount(25);
        _sqs.Verify(s => s.ReceiveMessagesAsync(TestMessages.DlqUrl, It.Is<ReceiveOptions>(o => o.MaxMessages == 5), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task GetDlqMessages_PoisonInDlq_DescribedFromAttributes()
    {
        var poison = TestMessages.Received("%%%") with { Attributes = new Dictionary<string, string> { ["entity_id"] = "doc-7", ["task_name"] = "x" } };
        _sqs.SetupSequence(s => s.ReceiveMessagesAsync(TestMessages.DlqUrl, It.IsAny<ReceiveOptions>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync([poison])
            .ReturnsAsync([]);
        ReleaseSucceeds();

        var peeked = (await Handler().GetDlqMessagesAsync()).Single();

        peeked.EntityId.Should().Be("doc-7");
        peeked.TaskName.Should().Be("x");
        peeked.Body.Should().Be("%%%");
        peeked.PoisonReason.Should().StartWith("body is not valid JSON");
    }

    [Fact]
    public async Task GetDlqMessages_CancelledMidPeek_StillReleasesWhatWasReceived()
    {
        using var cts = new CancellationTokenSource();
        var calls = 0;
        _sqs.Setup(s => s.ReceiveMessagesAsync(TestMessages.DlqUrl, It.IsAny<ReceiveOptions>(), It.IsAny<CancellationToken>()))
            .Returns((string _, ReceiveOptions _, CancellationToken ct) =>
            {
                if (++calls == 1)
                {
                    cts.Cancel();
                    return Task.FromResult<IReadOnlyList<ReceivedMessage>>(Page(0, 10));
                }

                return Task.FromCanceled<IReadOnlyList<ReceivedMessage>>(ct);
            });
        ReleaseSucceeds();

        var act = () => Handler().GetDlqMessagesAsync(20, cts.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        _released.Should().HaveCount(10);
    }

    [Fact]
    public async Task GetDlqMessages_NoDlqAnywhere_ThrowsSayingWhatToSet()
    {
        _sqs.Setup(s => s.GetQueueAttributesAsync(TestMessages.QueueUrl, It.IsAny<IReadOnlyList<string>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Dictionary<string, string>());
        var handler = new TaskQueueHandler(_sqs.Object, TestMessages.Options());

        var act = () => handler.GetDlqMessagesAsync();

        await act.Should().ThrowAsync<InvalidOperationException>().WithMessage("*has no dead-letter queue: set DeadLetterQueueUrl or give the queue a RedrivePolicy*");
    }
}
