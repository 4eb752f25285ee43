using FluentAssertions;
using Microsoft.Extensions.Options;
using Moq;
using TaskQueue.Sqs;

namespace TaskQueue.Tests;

public class OptionsValidationTests
{
    public static TheoryData<Action<TaskQueueOptions>, string> BadOptions => new()
    {
        { o => o.QueueUrl = "", "QueueUrl is required*" },
        { o => o.QueueUrl = "tasks.fifo", "QueueUrl 'tasks.fifo' is not an absolute URL*" },
        { o => o.VisibilityTimeout = TimeSpan.FromSeconds(43_201), "VisibilityTimeout is 43201 s: it must be 1 to 43200 s*" },
        { o => o.VisibilityTimeout = TimeSpan.FromSeconds(-1), "VisibilityTimeout is -1 s*" },
        { o => o.WaitTime = TimeSpan.FromSeconds(21), "WaitTime is 21 s: it must be 0 to 20 s (SQS long polling waits 0 to 20 seconds)*" },
        { o => o.MaxMessageBytes = 100, "MaxMessageBytes is 100: it must be 1,024 to 1,048,576*" },
        { o => o.SendRetryAttempts = 11, "SendRetryAttempts is 11: it must be 0 to 10*" },
        { o => o.DeadLetterQueueUrl = "dlq", "DeadLetterQueueUrl 'dlq' is not an absolute URL*" },
        { o => o.VisibilityTimeout = TimeSpan.FromMilliseconds(500), "VisibilityTimeout is 0.5 s: it must be 1 to 43200 s*" },
        { o => o.VisibilityTimeout = TimeSpan.FromSeconds(1.5), "VisibilityTimeout is 1.5 s: SQS takes whole seconds, so set it to 2 s*" },
        { o => o.VisibilityTimeout = TimeSpan.Zero, "VisibilityTimeout is 0 s: it must be 1 to 43200 s*" },
        { o => o.WaitTime = TimeSpan.FromSeconds(2.5), "WaitTime is 2.5 s: SQS takes whole seconds*" },
        { o => o.PeekVisibilityTimeout = TimeSpan.FromSeconds(10.2), "PeekVisibilityTimeout is 10.2 s: SQS takes whole seconds*" },
        { o => o.RetryBackoff.InitialDelay = TimeSpan.FromMilliseconds(1500), "RetryBackoff.InitialDelay is 1.5 s: SQS takes whole seconds*" },
        { o => o.DeduplicationMode = (DeduplicationMode)9, "DeduplicationMode 9 is not one of Deterministic, PerCall*" },
        { o => o.MessageAttributeNames.Add(""), "MessageAttributeNames[0] '' is empty: give an SQS message attribute name*" },
        { o => o.MessageAttributeNames.Add(new string('a', 257)), "MessageAttributeNames[0] 'aaa*' is 257 characters long: *" },
        { o => o.MessageAttributeNames.Add("tenant id"), "MessageAttributeNames[0] 'tenant id' has a character SQS does not allow in a name: *" },
        { o => o.MessageAttributeNames.Add("tenant*"), "MessageAttributeNames[0] 'tenant*' has a character SQS does not allow*" },
        { o => o.MessageAttributeNames.Add(".tenant"), "MessageAttributeNames[0] '.tenant' starts or ends with '.'*" },
        { o => o.MessageAttributeNames.Add("tenant..id"), "MessageAttributeNames[0] 'tenant..id' has two '.' in a row*" },
        { o => o.MessageAttributeNames.Add("aws.trace"), "MessageAttributeNames[0] 'aws.trace' starts with a prefix SQS reserves*" },
        { o => { o.MessageAttributeNames.Add("tenant"); o.MessageAttributeNames.Add("..*"); }, "MessageAttributeNames[1] '..*' starts or ends with '.'*" },
    };

    [Theory]
    [InlineData("tenant")]
    [InlineData("Tenant_Id-2.region")]
    [InlineData("tenant.*")]
    [InlineData("All")]
    [InlineData(".*")]
    [InlineData("AWSome")]
    public void Validate_MessageAttributeNameSqsTakes_Succeeds(string name)
    {
        var options = new TaskQueueOptions { QueueUrl = TestMessages.QueueUrl };
        options.MessageAttributeNames.Add(name);
        options.MessageAttributeNames.Add(new string('a', 256));

        new TaskQueueOptionsValidator().Validate(null, options).Succeeded.Should().BeTrue();
    }

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Constructor_OutOfRangeOption_ThrowsNamingTheValue(Action<TaskQueueOptions> configure, string expected)
    {
        var act = () => new TaskQueueHandler(Mock.Of<ISqsClient>(), TestMessages.Options(configure));

        act.Should().Throw<OptionsValidationException>().Which.Failures.Should().ContainMatch(expected);
    }

    [Fact]
    public void WorkerValidate_FractionalReceiveWait_NamesTheWholeSecondRule()
    {
        var result = new TaskQueueWorkerOptionsValidator().Validate(null, new TaskQueueWorkerOptions { ReceiveWaitTime = TimeSpan.FromSeconds(1.5) });

        result.Failures.Should().ContainMatch("ReceiveWaitTime is 1.5 s: SQS takes whole seconds*");
    }

    [Fact]
    public void WorkerValidate_ReceiveBatchingWindowOutOfRange_NamesItsRange()
    {
        var validator = new TaskQueueWorkerOptionsValidator();

        validator.Validate(null, new TaskQueueWorkerOptions { ReceiveBatchingWindow = TimeSpan.FromSeconds(30) }).Failures.Should().BeEquivalentTo(
            "ReceiveBatchingWindow is 30 s: it must be 0 to 20 s (run slots must not sit idle long).");
        validator.Validate(null, new TaskQueueWorkerOptions { ReceiveBatchingWindow = TimeSpan.FromMilliseconds(-1) }).Failed.Should().BeTrue();
        validator.Validate(null, new TaskQueueWorkerOptions { ReceiveBatchingWindow = TimeSpan.Zero }).Succeeded.Should().BeTrue();
    }

    [Fact]
    public void Validate_Defaults_WithQueueUrl_Succeed()
    {
        var result = new TaskQueueOptionsValidator().Validate(null, new TaskQueueOptions { QueueUrl = TestMessages.QueueUrl });

        result.Succeeded.Should().BeTrue();
    }

    [Fact]
    public void Validate_SeveralBadValues_ReportsEach()
    {
        var result = new TaskQueueOptionsValidator().Validate(null, new TaskQueueOptions { WaitTime = TimeSpan.FromMinutes(1), SendRetryAttempts = -1 });

        result.Failures.Should().HaveCount(3);
    }
}
