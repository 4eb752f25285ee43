using System.Net;
using System.Text.Json;
using Amazon.SQS;
using Amazon.SQS.Model;
using FluentAssertions;
using Moq;
using TaskQueue.Sqs;

namespace TaskQueue.Tests.Sns;

public class EntityEventTopicTests
{
    private const string QueueUrl = "http://127.0.0.1:4566/123456789012/listener.fifo";
    private const string QueueArn = "arn:aws:sqs:eu-west-1:123456789012:listener.fifo";

    [Fact]
    public async Task CreateFifoTopic_AsksForAFifoTopicWithoutContentDeduplication()
    {
        var sns = new SnsStub();

        var arn = await EntityEventTopic.CreateFifoTopicAsync(sns.Client(), "events.fifo", default);

        arn.Should().Be(SnsStub.TopicArn);
        sns.LastForm.Should().Contain(new Dictionary<string, string>
        {
            ["Attributes.entry.1.key"] = "FifoTopic",
            ["Attributes.entry.1.value"] = "true",
            ["Attributes.entry.2.key"] = "ContentBasedDeduplication",
            ["Attributes.entry.2.value"] = "false",
        });
    }

    [Theory]
    [InlineData("events")]
    [InlineData(".fifo")]
    [InlineData("my events.fifo")]
    public async Task EnsureTopic_NameSnsRefuses_SaysWhatItAccepts(string name)
    {
        var act = () => EntityEventTopic.EnsureTopicAsync(name);

        (await act.Should().ThrowAsync<ArgumentException>()).WithParameterName("topicName").Which.Message.Should().Contain("ending in '.fifo'");
    }

    [Fact]
    public async Task Subscribe_AllowsTheTopicInThePolicyThenSubscribesWithRawDelivery()
    {
        var sns = new SnsStub();
        var sqs = Queue(fifo: true, policy: null);

        var subscription = await Subscribe(sns, sqs.Object, EntityEvents.All);

        subscription.Should().Be(SnsStub.TopicArn + ":sub-1");
        sqs.Verify(s => s.SetQueueAttributesAsync(
            It.Is<SetQueueAttributesRequest>(r => r.QueueUrl == QueueUrl && r.Attributes["Policy"].Contains(SnsStub.TopicArn)), It.IsAny<CancellationToken>()));
        sns.LastForm.Should().Contain(new Dictionary<string, string>
        {
            ["Action"] = "Subscribe",
            ["Protocol"] = "sqs",
            ["Endpoint"] = QueueArn,
            ["Attributes.entry.1.key"] = "RawMessageDelivery",
            ["Attributes.entry.1.value"] = "true",
        });
        sns.LastForm.Should().NotContainKey("Attributes.entry.2.key", "all events: no filter policy");
    }

    [Fact]
    public async Task Subscribe_PolicyAlreadyAllowsTheTopic_LeftAlone()
    {
        var policy = QueueSubscriptionPolicy.WithTopicAllowed(null, QueueArn, SnsStub.TopicArn, QueueUrl);
        var sqs = Queue(fifo: true, policy);

        await Subscribe(new SnsStub(), sqs.Object, EntityEvents.All);

        sqs.Verify(s => s.SetQueueAttributesAsync(It.IsAny<SetQueueAttributesRequest>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Subscribe_SomeEvents_FilterPolicyOnEventType()
    {
        var sns = new SnsStub();

        await Subscribe(sns, Queue(fifo: true, policy: null).Object, EntityEvents.TaskDeadLettered);

        sns.LastForm["Attributes.entry.2.key"].Should().Be("FilterPolicy");
        JsonDocument.Parse(sns.LastForm["Attributes.entry.2.value"]).RootElement.GetProperty("event_type")[0].GetString().Should().Be("task.dead_lettered");
    }

    [Fact]
    public async Task Subscribe_StandardQueue_Refused()
    {
        var sns = new SnsStub();

        var act = () => Subscribe(sns, Queue(fifo: false, policy: null).Object, EntityEvents.All);

        (await act.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("not a FIFO queue");
        sns.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task Subscribe_PolicyRefused_TranslatedLikeAnySqsError()
    {
        var sqs = Queue(fifo: true, policy: null);
        sqs.Setup(s => s.SetQueueAttributesAsync(It.IsAny<SetQueueAttributesRequest>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new AmazonSQSException("denied", Amazon.Runtime.ErrorType.Sender, "AccessDenied", "r", HttpStatusCode.Forbidden));

        var act = () => Subscribe(new SnsStub(), sqs.Object, EntityEvents.All);

        (await act.Should().ThrowAsync<QueueAccessDeniedException>()).Which.Message.Should().Contain("sqs:SetQueueAttributes");
    }

    private static Task<string> Subscribe(SnsStub sns, IAmazonSQS sqs, EntityEvents events) =>
        EntityEventTopic.SubscribeAsync(sns.Client(), sqs, SnsTopicArn.ParseFifo(SnsStub.TopicArn, "topicArn"), QueueUrl, events, default);

    private static Mock<IAmazonSQS> Queue(bool fifo, string? policy)
    {
        var sqs = new Mock<IAmazonSQS>();
        var attributes = new Dictionary<string, string> { ["QueueArn"] = QueueArn };
        if (fifo)
        {
            attributes["FifoQueue"] = "true";
        }

        if (policy is not null)
        {
            attributes["Policy"] = policy;
        }

        sqs.Setup(s => s.GetQueueAttributesAsync(It.IsAny<GetQueueAttributesRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new GetQueueAttributesResponse { Attributes = attributes });
        sqs.Setup(s => s.SetQueueAttributesAsync(It.IsAny<SetQueueAttributesRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new SetQueueAttributesResponse());
        return sqs;
    }
}
