using FluentAssertions;
using Moq;
using TaskQueue.Sqs;

namespace TaskQueue.Tests;

/// <summary>Errors no retry can fix are thrown from EnqueueTasksAsync, never reported per task where a caller could miss them.</summary>
public class EnqueueConfigurationErrorTests
{
    public static TheoryData<TaskQueueException> ConfigurationErrors => new()
    {
        new SqsConfigurationException("SendMessageBatch on queue tasks.fifo failed: no AWS credentials found: set AWS_PROFILE..."),
        new SqsConfigurationException("SendMessageBatch on queue tasks.fifo failed: the endpoint did not answer as SQS does (HTTP 404 without an SQS error code)..."),
        new QueueAccessDeniedException("SendMessageBatch on queue tasks.fifo was denied (AccessDenied: no)..."),
        new QueueDoesNotExistException("SendMessageBatch failed: queue tasks.fifo does not exist..."),
    };

    [Theory]
    [MemberData(nameof(ConfigurationErrors))]
    public async Task EnqueueTasks_ConfigurationError_ThrowsItAfterOneRequest(TaskQueueException error)
    {
        var sqs = new Mock<ISqsClient>(MockBehavior.Strict);
        sqs.Setup(s => s.SendMessageBatchAsync(TestMessages.QueueUrl, It.IsAny<IReadOnlyList<OutgoingMessage>>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(error);
        var handler = new TaskQueueHandler(sqs.Object, TestMessages.Options());

        var act = () => handler.EnqueueTasksAsync("doc-1", [new TaskSpec("ocr"), new TaskSpec("classify")]);

        (await act.Should().ThrowAsync<SqsConfigurationException>()).Which.Should().BeSameAs(error);
        sqs.Verify(
            s => s.SendMessageBatchAsync(It.IsAny<string>(), It.IsAny<IReadOnlyList<OutgoingMessage>>(), It.IsAny<CancellationToken>()),
            Times.Once(),
            "no resend can fix the setup");
    }

    [Fact]
    public async Task EnqueueTasks_RequestRejectedForItsContent_ReportedPerTaskNotThrown()
    {
        var sqs = new Mock<ISqsClient>(MockBehavior.Strict);
        sqs.Setup(s => s.SendMessageBatchAsync(TestMessages.QueueUrl, It.IsAny<IReadOnlyList<OutgoingMessage>>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new SqsRequestException("SendMessageBatch failed (InvalidParameterValue)", "InvalidParameterValue", isTransient: false, null));
        var handler = new TaskQueueHandler(sqs.Object, TestMessages.Options());

        var result = await handler.EnqueueTasksAsync("doc-1", [new TaskSpec("ocr")]);

        result.Failed.Should().ContainSingle().Which.ErrorCode.Should().Be(nameof(SqsRequestException));
    }
}
