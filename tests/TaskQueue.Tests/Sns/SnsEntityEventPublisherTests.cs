using System.Text.Json;
using Amazon;
using Amazon.Extensions.NETCore.Setup;
using Amazon.Runtime;
using FluentAssertions;

namespace TaskQueue.Tests.Sns;

public class SnsEntityEventPublisherTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 23, 10, 15, 30, TimeSpan.Zero);

    [Fact]
    public async Task EntityCompleted_PublishedInTheEntitysGroupWithItsType()
    {
        var sns = new SnsStub();

        await Publisher(sns).OnEntityCompletedAsync(EntityEventJsonTests.Batch(), default);

        var form = sns.LastForm;
        form["TopicArn"].Should().Be(SnsStub.TopicArn);
        form["MessageGroupId"].Should().Be("doc-1");
        form["MessageAttributes.entry.1.Name"].Should().Be("event_type");
        form["MessageAttributes.entry.1.Value.StringValue"].Should().Be("entity.completed");
        JsonDocument.Parse(form["Message"]).RootElement.GetProperty("type").GetString().Should().Be("entity.completed");
        form["MessageDeduplicationId"].Should().MatchRegex("^entitycompleted-[0-9a-f]{64}$");
    }

    [Fact]
    public async Task EntityCompleted_SameRevisionSameDeduplicationId_NextRevisionAnother()
    {
        var sns = new SnsStub();
        var publisher = Publisher(sns);
        var batch = EntityEventJsonTests.Batch();

        await publisher.OnEntityCompletedAsync(batch, default);
        await publisher.OnEntityCompletedAsync(batch with { Tasks = [.. batch.Tasks.Reverse()] }, default);
        await publisher.OnEntityCompletedAsync(batch with { Revision = 3 }, default);
        await publisher.OnEntityCompletedAsync(batch with { BatchId = "b-2" }, default);

        var ids = sns.Requests.Select(r => r.Form["MessageDeduplicationId"]).ToList();
        ids[1].Should().Be(ids[0], "an announcement repeated after a failure is the same event");
        ids[2].Should().NotBe(ids[0], "a reopened batch's completion is a new event");
        ids[3].Should().NotBe(ids[0]);
    }

    [Fact]
    public async Task TaskDeadLettered_PublishedWithItsOwnTypeAndDeduplicationId()
    {
        var sns = new SnsStub();
        var publisher = Publisher(sns);

        await publisher.OnTaskDeadLetteredAsync(Fate(attempts: 3), default);
        await publisher.OnTaskDeadLetteredAsync(Fate(attempts: 3), default);
        await publisher.OnTaskDeadLetteredAsync(Fate(attempts: 3) with { TaskName = "classify" }, default);

        var forms = sns.Requests.Select(r => r.Form).ToList();
        forms[0]["MessageGroupId"].Should().Be("doc-1");
        forms[0]["MessageAttributes.entry.1.Value.StringValue"].Should().Be("task.dead_lettered");
        forms[0]["MessageDeduplicationId"].Should().MatchRegex("^taskdeadlettered-[0-9a-f]{64}$");
        forms[1]["MessageDeduplicationId"].Should().Be(forms[0]["MessageDeduplicationId"]);
        forms[2]["MessageDeduplicationId"].Should().NotBe(forms[0]["MessageDeduplicationId"]);
    }

    [Theory]
    [InlineData("doc with spaces")]
    [InlineData("année")]
    public async Task EntityIdSqsRefuses_GroupIdIsItsStableHash(string entityId)
    {
        var sns = new SnsStub();

        await Publisher(sns).OnTaskDeadLetteredAsync(Fate(attempts: 1) with { EntityId = entityId }, default);

        sns.LastForm["MessageGroupId"].Should().Be(SqsIdentifier.MakeSafe(entityId)).And.NotBe(entityId);
        JsonDocument.Parse(sns.LastForm["Message"]).RootElement.GetProperty("entity_id").GetString().Should().Be(entityId);
    }

    [Fact]
    public async Task EventsLeftOut_AreNotPublished()
    {
        var sns = new SnsStub();
        var publisher = new SnsEntityEventPublisher(SnsTopicArn.ParseFifo(SnsStub.TopicArn, "topicArn"), _ => sns.Client(), EntityEvents.EntityCompleted);

        await publisher.OnTaskDeadLetteredAsync(Fate(attempts: 1), default);
        await publisher.OnEntityCompletedAsync(EntityEventJsonTests.Batch(), default);

        sns.Requests.Should().ContainSingle().Which.Form["MessageAttributes.entry.1.Value.StringValue"].Should().Be("entity.completed");
    }

    [Fact]
    public async Task BatchTooLargeForSns_PublishedWithoutItsTasks()
    {
        var sns = new SnsStub();
        var tasks = Enumerable.Range(0, 200)
            .Select(i => new EntityTaskStatus($"task-{i}", EntityTaskState.DeadLettered, 3, new string('e', 5000), At, TimeSpan.FromSeconds(1)))
            .ToList();
        var batch = new EntityBatchStatus("doc-1", "b-1", tasks.Count, At, tasks, 1, 0);

        await Publisher(sns).OnEntityCompletedAsync(batch, default);

        var message = sns.LastForm["Message"];
        System.Text.Encoding.UTF8.GetByteCount(message).Should().BeLessThan(SnsEntityEventPublisher.MaxMessageBytes);
        JsonDocument.Parse(message).RootElement.GetProperty("tasks_omitted").GetBoolean().Should().BeTrue();
    }

    [Fact]
    public async Task FailedPublish_Throws_SoTheWorkerKeepsTheMessage()
    {
        var sns = new SnsStub(_ => (System.Net.HttpStatusCode.InternalServerError, SnsStub.Error("InternalError", "oops", "Receiver")));

        var act = () => Publisher(sns).OnEntityCompletedAsync(EntityEventJsonTests.Batch(), default);

        await act.Should().ThrowAsync<SnsRequestException>();
    }

    [Theory]
    [InlineData("arn:aws:sns:eu-west-1:123456789012:events", "not a FIFO topic")]
    [InlineData("events.fifo", "not an SNS topic ARN")]
    [InlineData("arn:aws:sqs:eu-west-1:123456789012:events.fifo", "not an SNS topic ARN")]
    public void TopicThatIsNotAFifoTopicsArn_Refused(string topicArn, string says)
    {
        var act = () => new SnsEntityEventPublisher(topicArn);

        act.Should().Throw<ArgumentException>().WithParameterName(nameof(topicArn)).Which.Message.Should().Contain(says);
    }

    [Fact]
    public void PublicConstructor_SignsForTheTopicsRegion()
    {
        var publisher = new SnsEntityEventPublisher(
            "arn:aws:sns:ap-south-1:123456789012:events.fifo", new AWSOptions { Region = RegionEndpoint.EUWest1, Credentials = new BasicAWSCredentials("a", "b") });

        publisher.TopicArn.Should().Be("arn:aws:sns:ap-south-1:123456789012:events.fifo");
        publisher.Sns.Region.Should().Be("ap-south-1");
    }

    private static SnsEntityEventPublisher Publisher(SnsStub sns) =>
        new(SnsTopicArn.ParseFifo(SnsStub.TopicArn, "topicArn"), _ => sns.Client(), EntityEvents.All);

    private static TaskFate Fate(int attempts) =>
        new("doc-1", "b-1", "ocr", 3, EntityTaskState.DeadLettered, attempts, "failed 3 attempts", At, At, TimeSpan.FromSeconds(1));
}
