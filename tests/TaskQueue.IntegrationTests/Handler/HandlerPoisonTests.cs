using FluentAssertions;
using TaskQueue.TestSupport.Backends;

namespace TaskQueue.IntegrationTests.Handler;

/// <summary>Bodies that are not task messages: reported as poison, never run, never deleted as if done, or moved to the DLQ.</summary>
public abstract class HandlerPoisonTests(ISqsBackend backend) : HandlerTestBase(backend)
{
    [Theory]
    [InlineData("this is not json {", "not valid JSON")]
    [InlineData("[1, 2, 3]", "not an object")]
    [InlineData("""{"task_name":"ocr"}""", "'entity_id' is missing")]
    [InlineData("""{"entity_id":"doc-1","task_name":42}""", "'task_name' must be a non-empty string")]
    [InlineData("""{"entity_id":"doc-1","task_name":"ocr","task_config":"fast"}""", "'task_config' must be an object")]
    [InlineData("""{"entity_id":"doc-1","task_name":"ocr","timestamp":"yesterday"}""", "'timestamp' must be an ISO-8601 time")]
    public async Task ProcessOneAsync_PoisonBody_ReportsPoisonWithReasonAndLeavesMessage(string body, string reason)
    {
        await using var queues = await CreateQueuesAsync();
        var handler = CreateHandler(queues);
        var messageId = await SendRawAsync(queues.QueueUrl, body);
        var ran = false;

        var result = await handler.ProcessOneAsync((_, _) =>
        {
            ran = true;
            return Task.CompletedTask;
        });
        var status = await handler.GetQueueStatusAsync();

        result.Should().NotBeNull();
        result!.Outcome.Should().Be(ProcessOutcome.Poison);
        result.MessageId.Should().Be(messageId);
        result.PoisonReason.Should().Contain(reason);
        result.Task.Should().BeNull();
        result.Deleted.Should().BeFalse();
        ran.Should().BeFalse("a poison body never reaches the handler");
        status.Should().Be(new QueueStatus(Available: 0, InFlight: 1, Delayed: 0, DeadLetters: 0), "the poison message is left, not deleted");
    }

    [Fact]
    public async Task ProcessOneAsync_PoisonLeftForRedrive_ComesBackThenLandsInDeadLetterQueue()
    {
        await using var queues = await CreateQueuesAsync(maxReceiveCount: 2);
        var handler = CreateHandler(queues);
        var messageId = await SendRawAsync(queues.QueueUrl, "<task>ocr</task>");

        var first = await handler.ProcessOneAsync((_, _) => Task.CompletedTask);
        await LetTimePassAsync(Visibility);
        var second = await handler.ProcessOneAsync((_, _) => Task.CompletedTask);
        await LetTimePassAsync(Visibility);
        var third = await handler.ProcessOneAsync((_, _) => Task.CompletedTask);
        var status = await handler.GetQueueStatusAsync();

        first!.Outcome.Should().Be(ProcessOutcome.Poison);
        second!.Outcome.Should().Be(ProcessOutcome.Poison);
        second.MessageId.Should().Be(messageId);
        new[] { first.ReceiveCount, second.ReceiveCount }.Should().Equal(1, 2);
        third.Should().BeNull("after maxReceiveCount the redrive policy moves the poison message to the DLQ");
        status.Should().Be(new QueueStatus(Available: 0, InFlight: 0, Delayed: 0, DeadLetters: 1));
    }

    [Fact]
    public async Task ProcessOneAsync_PoisonWithMoveToDeadLetterQueue_MovesItToDeadLetterQueueAtOnce()
    {
        await using var queues = await CreateQueuesAsync();

        // A body that names no task cannot give its entity back to the copy: its attributes are kept by being named.
        var handler = CreateHandler(queues, o =>
        {
            o.PoisonMessageHandling = PoisonMessageHandling.MoveToDeadLetterQueue;
            o.MessageAttributeNames.Add("entity_id");
            o.MessageAttributeNames.Add("task_name");
        });
        var attributes = new Dictionary<string, string> { ["entity_id"] = "doc-poison", ["task_name"] = "ocr" };
        var messageId = await SendRawAsync(queues.QueueUrl, "not a task", "doc-poison-ocr", attributes);

        var result = await handler.ProcessOneAsync((_, _) => Task.CompletedTask);
        var status = await handler.GetQueueStatusAsync();
        var peeked = await PeekAsync(handler);
        await LetTimePassAsync(Visibility);
        var afterVisibility = await handler.ProcessOneAsync((_, _) => Task.CompletedTask);

        result!.Outcome.Should().Be(ProcessOutcome.Poison);
        result.Deleted.Should().BeTrue("moved to the DLQ, it is gone from the queue");
        result.PoisonReason.Should().Contain("not valid JSON");
        status.Should().Be(new QueueStatus(Available: 0, InFlight: 0, Delayed: 0, DeadLetters: 1));
        var deadLetter = peeked.Should().ContainSingle().Subject;
        deadLetter.Body.Should().Be("not a task");
        deadLetter.PoisonReason.Should().Contain("not valid JSON");
        deadLetter.EntityId.Should().Be("doc-poison", "the attributes, named to keep, name the entity when the body cannot");
        deadLetter.TaskName.Should().Be("ocr");
        deadLetter.MessageGroupId.Should().Be("doc-poison-ocr");
        afterVisibility.Should().BeNull("the moved message does not come back to the source queue");
        result.MessageId.Should().Be(messageId);
    }
}
