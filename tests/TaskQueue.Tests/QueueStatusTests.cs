using FluentAssertions;
using Moq;
using TaskQueue.Sqs;

namespace TaskQueue.Tests;

public class QueueStatusTests
{
    private readonly Mock<ISqsClient> _sqs = new(MockBehavior.Strict);

    private void Counts(string url, string available, string inFlight, string delayed) =>
        _sqs.Setup(s => s.GetQueueAttributesAsync(url, It.Is<IReadOnlyList<string>>(n => n.Contains(QueueAttributeNames.ApproximateNumberOfMessages)), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Dictionary<string, string>
            {
                [QueueAttributeNames.ApproximateNumberOfMessages] = available,
                [QueueAttributeNames.ApproximateNumberOfMessagesNotVisible] = inFlight,
                [QueueAttributeNames.ApproximateNumberOfMessagesDelayed] = delayed,
            });

    [Fact]
    public async Task GetQueueStatus_WithConfiguredDlq_ReturnsCountsAndDlqDepth()
    {
        Counts(TestMessages.QueueUrl, "12", "3", "1");
        Counts(TestMessages.DlqUrl, "4", "1", "0");
        var handler = new TaskQueueHandler(_sqs.Object, TestMessages.Options(o => o.DeadLetterQueueUrl = TestMessages.DlqUrl));

        var status = await handler.GetQueueStatusAsync();

        status.Should().Be(new QueueStatus(12, 3, 1, 5));
    }

    [Fact]
    public async Task GetQueueStatus_DlqFromRedrivePolicy_IsFoundByName()
    {
        Counts(TestMessages.QueueUrl, "0", "0", "0");
        Counts(TestMessages.DlqUrl, "2", "0", "0");
        _sqs.Setup(s => s.GetQueueAttributesAsync(TestMessages.QueueUrl, new[] { QueueAttributeNames.RedrivePolicy }, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Dictionary<string, string>
            {
                [QueueAttributeNames.RedrivePolicy] = """{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:123456789012:tasks-dlq.fifo","maxReceiveCount":3}""",
            });
        _sqs.Setup(s => s.GetQueueUrlAsync("tasks-dlq.fifo", It.IsAny<CancellationToken>())).ReturnsAsync(TestMessages.DlqUrl);
        var handler = new TaskQueueHandler(_sqs.Object, TestMessages.Options());

        var status = await handler.GetQueueStatusAsync();
        await handler.GetQueueStatusAsync();

        status.DeadLetters.Should().Be(2);
        _sqs.Verify(s => s.GetQueueUrlAsync("tasks-dlq.fifo", It.IsAny<CancellationToken>()), Times.Once, "a found DLQ URL is kept");
    }

    [Fact]
    public async Task GetQueueStatus_NoDlq_DeadLettersNull()
    {
        Counts(TestMessages.QueueUrl, "1", "0", "0");
        _sqs.Setup(s => s.GetQueueAttributesAsync(TestMessages.QueueUrl, new[] { QueueAttributeNames.RedrivePolicy }, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Dictionary<string, string>());
        var handler = new TaskQueueHandler(_sqs.Object, TestMessages.Options());

        var status = await handler.GetQueueStatusAsync();

        status.Should().Be(new QueueStatus(1, 0, 0, null));
    }
}
