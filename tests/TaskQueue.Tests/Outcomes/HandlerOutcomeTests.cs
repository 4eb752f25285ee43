using FluentAssertions;
using Moq;
using TaskQueue.Sqs;

namespace TaskQueue.Tests.Outcomes;

/// <summary>What becomes of a task when its handler chooses the outcome, or throws an exception no retry can fix.</summary>
public class HandlerOutcomeTests
{
    private readonly Mock<ISqsClient> _sqs = new(MockBehavior.Strict);
    private readonly List<OutgoingMessage> _deadLetters = [];
    private TimeSpan? _visibility;

    private TaskQueueHandler Handler(Action<TaskQueueOptions>? configure = null) => new(
        _sqs.Object,
        TestMessages.Options(o =>
        {
            o.DeadLetterQueueUrl = TestMessages.DlqUrl;
            configure?.Invoke(o);
        }));

    private void Receives(int receiveCount = 2) => _sqs.ReturnsOnReceive(TestMessages.Received(TestMessages.TaskBody(), receiveCount));

    private void DeadLetterQueueAccepts()
    {
        _sqs.Setup(s => s.SendMessageBatchAsync(TestMessages.DlqUrl, It.IsAny<IReadOnlyList<OutgoingMessage>>(), It.IsAny<CancellationToken>()))
            .Callback((string _, IReadOnlyList<OutgoingMessage> m, CancellationToken _) => _deadLetters.AddRange(m))
            .ReturnsAsync((string _, IReadOnlyList<OutgoingMessage> m, CancellationToken _) => new SendBatchResult([new SentMessage(m[0].Id, "dlq-1")], []));
        _sqs.DeletesSucceed();
    }

    private void VisibilityChanges() =>
        _sqs.Setup(s => s.ChangeMessageVisibilityAsync(TestMessages.QueueUrl, "r-1", It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()))
            .Callback((string _, string _, TimeSpan t, CancellationToken _) => _visibility = t)
            .Returns(Task.CompletedTask);

    private void VerifyNotDeleted() =>
        _sqs.Verify(s => s.DeleteMessageBatchAsync(It.IsAny<string>(), It.IsAny<IReadOnlyList<ReceiptEntry>>(), It.IsAny<CancellationToken>()), Times.Never);

    [Fact]
    public async Task Completed_DeletesTheMessage()
    {
        Receives();
        _sqs.DeletesSucceed();

        var result = await Handler().ProcessOneAsync((_, _) => Task.FromResult(TaskOutcome.Completed));

        result!.Outcome.Should().Be(ProcessOutcome.Completed);
        result.Deleted.Should().BeTrue();
    }

    [Fact]
    public async Task RetryAfter_SetsTheVisibilityToTheChosenDelayInsteadOfTheBackoff()
    {
        Receives();
        VisibilityChanges();

        var result = await Handler().ProcessOneAsync((_, _) => Task.FromResult(TaskOutcome.RetryAfter(TimeSpan.FromMinutes(3))));

        result!.Outcome.Should().Be(ProcessOutcome.RetryRequested);
        result.RetryDelay.Should().Be(TimeSpan.FromMinutes(3));
        result.Deleted.Should().BeFalse();
        _visibility.Should().Be(TimeSpan.FromMinutes(3), "the backoff of a second attempt would be 10 s");
        VerifyNotDeleted();
    }

    [Fact]
    public async Task RetryAfter_WithTheBackoffDisabled_StillSetsTheChosenDelay()
    {
        Receives();
        VisibilityChanges();

        await Handler(o => o.RetryBackoff.Enabled = false).ProcessOneAsync((_, _) => Task.FromResult(TaskOutcome.RetryAfter(TimeSpan.FromSeconds(42))));

        _visibility.Should().Be(TimeSpan.FromSeconds(42));
    }

    [Fact]
    public async Task DeadLetter_MovesToTheDeadLetterQueueNowWithTheReasonAndAttemptCount()
    {
        Receives(receiveCount: 2);
        DeadLetterQueueAccepts();

        var result = await Handler().ProcessOneAsync((_, _) => Task.FromResult(TaskOutcome.DeadLetter("the scan is unreadable")));

        result!.Outcome.Should().Be(ProcessOutcome.DeadLetterRequested);
        result.DeadLetterReason.Should().Be("the scan is unreadable");
        result.Deleted.Should().BeTrue();
        var copy = _deadLetters.Should().ContainSingle().Subject;
        copy.Attributes.Should().NotBeNull().And.Contain(DeadLetterNote.ReasonAttribute, "the scan is unreadable")
            .And.Contain(DeadLetterNote.AttemptsAttribute, "2");
    }

    [Fact]
    public async Task NonRetryableException_MovesToTheDeadLetterQueueWithTheExceptionAsReason()
    {
        Receives();
        DeadLetterQueueAccepts();

        var result = await Handler(o => o.NonRetryableExceptions.Add(typeof(ArgumentException)))
            .ProcessOneAsync<int>((_, _) => throw new ArgumentOutOfRangeException("page", "page 0 does not exist"));

        result!.Outcome.Should().Be(ProcessOutcome.Failed);
        result.Deleted.Should().BeTrue("a type derived from a non-retryable one is non-retryable too");
        _deadLetters.Should().ContainSingle().Which.Attributes![DeadLetterNote.ReasonAttribute]
            .Should().Contain("System.ArgumentOutOfRangeException").And.Contain("page 0 does not exist");
    }

    [Fact]
    public async Task RetryableException_IsBackedOffNotMoved()
    {
        Receives();
        VisibilityChanges();

        var result = await Handler(o => o.NonRetryableExceptions.Add(typeof(ArgumentException)))
            .ProcessOneAsync<int>((_, _) => throw new InvalidOperationException("flaky"));

        result!.Deleted.Should().BeFalse();
        _visibility.Should().Be(TimeSpan.FromSeconds(10));
        _sqs.Verify(s => s.SendMessageBatchAsync(It.IsAny<string>(), It.IsAny<IReadOnlyList<OutgoingMessage>>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public void RetryAfter_OutsideWhatSqsCanDelay_IsRefused()
    {
        FluentActions.Invoking(() => TaskOutcome.RetryAfter(TimeSpan.FromSeconds(-1))).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => TaskOutcome.RetryAfter(TimeSpan.FromHours(12.5))).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => TaskOutcome.DeadLetter(" ")).Should().Throw<ArgumentException>();
    }
}
