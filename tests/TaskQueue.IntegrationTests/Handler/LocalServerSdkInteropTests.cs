using System.Globalization;
using System.Text.Json;
using Amazon.SQS.Model;
using FluentAssertions;
using TaskQueue.TestSupport;
using TaskQueue.TestSupport.Backends;

namespace TaskQueue.IntegrationTests.Handler;

/// <summary>
/// Interop with producers and consumers that use the AWS SDK directly, not TaskQueue: only the server backend
/// speaks the SQS protocol. Messages go through <see cref="LocalSqsServer.SdkClient"/> as another service's would.
/// </summary>
public sealed class LocalServerSdkInteropTests() : HandlerTestBase(new LocalServerBackend())
{
    [Fact]
    public async Task ProcessOneAsync_DocumentedBodySentWithSdk_RunsTaskWithEveryValue()
    {
        await using var queues = await CreateQueuesAsync();
        var handler = CreateHandler(queues);
        var sent = await SdkSendAsync(queues.QueueUrl, DocumentedBodies.Full, "doc-9-yearBuilt", ("entity_id", "doc-9"), ("task_name", "yearBuilt"));

        var (result, task, context) = await ProcessCapturingAsync(handler);

        result.Outcome.Should().Be(ProcessOutcome.Completed);
        result.Deleted.Should().BeTrue();
        result.MessageId.Should().Be(sent);
        task.EntityId.Should().Be("doc-9");
        task.TaskName.Should().Be("yearBuilt");
        task.TaskConfig.GetProperty("source").GetString().Should().Be("deed");
        task.TaskConfig.GetProperty("year_hint").GetInt32().Should().Be(1901);
        task.Metadata.GetProperty("tenant").GetString().Should().Be("acme");
        task.EnqueuedAt.Should().Be(DocumentedBodies.FullTimestamp);
        task.TotalTasks.Should().Be(3);
        context.MessageGroupId.Should().Be("doc-9-yearBuilt");
        (await handler.GetQueueStatusAsync()).Should().Be(new QueueStatus(0, 0, 0, 0));
    }

    [Fact]
    public async Task ProcessOneAsync_MinimalBodySentWithSdk_RunsTaskWithDefaults()
    {
        await using var queues = await CreateQueuesAsync();
        var handler = CreateHandler(queues);
        await SdkSendAsync(queues.QueueUrl, DocumentedBodies.Minimal, "doc-min-ocr");

        var (result, task, _) = await ProcessCapturingAsync(handler);

        result.Outcome.Should().Be(ProcessOutcome.Completed);
        task.EntityId.Should().Be("doc-min");
        task.TaskName.Should().Be("ocr");
        task.TaskConfig.EnumerateObject().Should().BeEmpty();
        task.Metadata.EnumerateObject().Should().BeEmpty();
        task.EnqueuedAt.Should().BeNull();
        task.TotalTasks.Should().BeNull();
    }

    [Fact]
    public async Task ProcessOneAsync_BodyWithUnknownFieldsSentWithSdk_IgnoresThemAndRunsTask()
    {
        await using var queues = await CreateQueuesAsync();
        var handler = CreateHandler(queues);
        await SdkSendAsync(queues.QueueUrl, DocumentedBodies.WithUnknownFields, "doc-new-classify");

        var (result, task, _) = await ProcessCapturingAsync(handler);

        result.Outcome.Should().Be(ProcessOutcome.Completed);
        task.EntityId.Should().Be("doc-new");
        task.TaskName.Should().Be("classify");
        task.TaskConfig.GetProperty("labels").GetArrayLength().Should().Be(2);
    }

    [Fact]
    public async Task ProcessOneAsync_PoisonSentWithSdk_ReportsPoisonAndLeavesMessage()
    {
        await using var queues = await CreateQueuesAsync();
        var handler = CreateHandler(queues);
        var sent = await SdkSendAsync(queues.QueueUrl, "{\"entity_id\": ", "raw-group");

        var result = await handler.ProcessOneAsync((_, _) => Task.CompletedTask);
        var status = await handler.GetQueueStatusAsync();

        result!.Outcome.Should().Be(ProcessOutcome.Poison);
        result.MessageId.Should().Be(sent);
        result.PoisonReason.Should().Contain("not valid JSON");
        result.Deleted.Should().BeFalse();
        status.Should().Be(new QueueStatus(Available: 0, InFlight: 1, Delayed: 0, DeadLetters: 0));
    }

    [Fact]
    public async Task ProcessOneAsync_PoisonSentWithSdkAndMoveToDeadLetterQueue_EndsInDeadLetterQueueWithTheAttributesNamedToKeep()
    {
        await using var queues = await CreateQueuesAsync();
        var handler = CreateHandler(queues, o =>
        {
            o.PoisonMessageHandling = PoisonMessageHandling.MoveToDeadLetterQueue;
            o.MessageAttributeNames.Add("task_name");
        });
        await SdkSendAsync(queues.QueueUrl, """{"entity_id":"doc-1"}""", "doc-1-ocr", ("entity_id", "doc-1"), ("task_name", "ocr"));

        var result = await handler.ProcessOneAsync((_, _) => Task.CompletedTask);
        var status = await handler.GetQueueStatusAsync();
        var peeked = await PeekAsync(handler);

        result!.Outcome.Should().Be(ProcessOutcome.Poison);
        result.PoisonReason.Should().Contain("'task_name' is missing");
        result.Deleted.Should().BeTrue();
        status.Should().Be(new QueueStatus(Available: 0, InFlight: 0, Delayed: 0, DeadLetters: 1));
        var deadLetter = peeked.Should().ContainSingle().Subject;
        deadLetter.Body.Should().Be("""{"entity_id":"doc-1"}""");
        deadLetter.EntityId.Should().BeNull("entity_id was not named to keep, and a poison body gives nothing back");
        deadLetter.TaskName.Should().Be("ocr", "the task_name attribute, named to keep, survives the move");
    }

    [Fact]
    public async Task ReceiveMessage_TaskEnqueuedByHandler_SdkSeesEveryDocumentedFieldAndBothAttributes()
    {
        await using var queues = await CreateQueuesAsync();
        var handler = CreateHandler(queues);
        var before = DateTimeOffset.UtcNow;
        var enqueued = await handler.EnqueueTasksAsync(
            "doc-sdk",
            [new TaskSpec("yearBuilt", new Dictionary<string, object> { ["source"] = "deed" }), new TaskSpec("ocr")],
            new Dictionary<string, object> { ["tenant"] = "acme" });

        var response = await LocalSqsServer.SdkClient.ReceiveMessageAsync(new ReceiveMessageRequest
        {
            QueueUrl = queues.QueueUrl,
            MaxNumberOfMessages = 10,
            WaitTimeSeconds = 1,
            MessageAttributeNames = ["All"],
            MessageSystemAttributeNames = ["All"],
        });

        var message = response.Messages.Should().Contain(m => m.MessageId == enqueued.Tasks[0].MessageId).Subject;
        using var body = JsonDocument.Parse(message.Body);
        var root = body.RootElement;
        root.GetProperty("entity_id").GetString().Should().Be("doc-sdk");
        root.GetProperty("task_name").GetString().Should().Be("yearBuilt");
        root.GetProperty("task_config").GetRawText().Should().Be("""{"source":"deed"}""");
        root.GetProperty("metadata").GetRawText().Should().Be("""{"tenant":"acme"}""");
        root.GetProperty("retry_count").GetInt32().Should().Be(0);
        root.GetProperty("total_tasks").GetInt32().Should().Be(2);
        var timestamp = root.GetProperty("timestamp").GetString();
        timestamp.Should().MatchRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+00:00$");
        DateTimeOffset.Parse(timestamp!, CultureInfo.InvariantCulture).Should().BeCloseTo(before, TimeSpan.FromSeconds(30));
        // A trace context joins them only while a tracing listener records the send (the tracing tests run beside this one).
        message.MessageAttributes.Keys.Except([TaskQueueDiagnostics.TraceParentAttribute, TaskQueueDiagnostics.TraceStateAttribute]).Should().BeEquivalentTo(["entity_id", "task_name"]);
        message.MessageAttributes["entity_id"].DataType.Should().Be("String");
        message.MessageAttributes["entity_id"].StringValue.Should().Be("doc-sdk");
        message.MessageAttributes["task_name"].DataType.Should().Be("String");
        message.MessageAttributes["task_name"].StringValue.Should().Be("yearBuilt");
        message.Attributes.Should().Contain("MessageGroupId", "doc-sdk-yearBuilt");
        message.Attributes.Should().Contain("MessageDeduplicationId", enqueued.Tasks[0].DeduplicationId);
        enqueued.Tasks[0].DeduplicationId.Should().MatchRegex("^call-[0-9a-f]{32}-0$", "each enqueue call gets ids of its own");
    }

    /// <summary>Sends one message with the raw SDK, as a service not using TaskQueue would, with String attributes.</summary>
    /// <returns>Its message id.</returns>
    private static async Task<string> SdkSendAsync(string queueUrl, string body, string group, params (string Name, string Value)[] attributes)
    {
        var request = new SendMessageRequest
        {
            QueueUrl = queueUrl,
            MessageBody = body,
            MessageGroupId = group,
            MessageDeduplicationId = Guid.NewGuid().ToString("N"),
        };
        if (attributes.Length > 0)
        {
            request.MessageAttributes = attributes.ToDictionary(
                a => a.Name, a => new MessageAttributeValue { DataType = "String", StringValue = a.Value });
        }

        var response = await LocalSqsServer.SdkClient.SendMessageAsync(request);
        response.MessageId.Should().NotBeNullOrEmpty();
        return response.MessageId;
    }
}
