using System.Diagnostics;
using System.Text.Json;
using Amazon;
using Amazon.Extensions.NETCore.Setup;
using Amazon.Runtime;
using FluentAssertions;
using Microsoft.Extensions.Options;
using TaskQueue.IntegrationTests.Worker;
using TaskQueue.Sqs;
using TaskQueue.Testing;
using TaskQueue.TestSupport;

namespace TaskQueue.IntegrationTests.Completion;

/// <summary>Entity events through SNS on the local server (fauxqs serves SNS on the SQS endpoint): topic, subscriptions, a worker publishing.</summary>
public sealed class SnsEntityEventsTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly AwsSqsClient _sqs = LocalSqsServer.CreateClient();

    private static AWSOptions Aws => new()
    {
        Region = RegionEndpoint.USEast1,
        Credentials = new BasicAWSCredentials("test", "test"),
        DefaultClientConfig = { ServiceURL = LocalSqsServer.Endpoint.ToString() },
    };

    [Fact]
    public async Task Worker_EntityWithADeadLetteredTask_SubscribersReceiveOneDeadLetterThenOneCompletionInTheEntitysGroup()
    {
        var topicArn = await EntityEventTopic.EnsureTopicAsync(UniqueName("events"), Aws);
        await using var everything = await ListenerAsync(topicArn, EntityEvents.All);
        await using var completionsOnly = await ListenerAsync(topicArn, EntityEvents.EntityCompleted);
        await using var queues = await TestQueues.CreateAsync(_sqs, visibilityTimeout: TimeSpan.FromSeconds(30));
        var publisher = new SnsEntityEventPublisher(topicArn, Aws);
        var tracking = new EntityTracking(new InMemoryEntityLedger(), [publisher]);
        var producer = new TaskQueueHandler(
            _sqs, Options.Create(new TaskQueueOptions { QueueUrl = queues.QueueUrl, DeadLetterQueueUrl = queues.DeadLetterQueueUrl }), entityTracking: tracking);

        var enqueued = await producer.EnqueueTasksAsync("doc-sns-1", [new TaskSpec("ocr"), new TaskSpec("classify"), new TaskSpec("scan")]);
        List<(ReceivedMessage Message, JsonElement Event)> events;
        await using (var worker = new WorkerHarness(
            _sqs, queues, (task, _) => Task.FromResult(task.TaskName == "scan" ? TaskOutcome.DeadLetter("not a PDF") : TaskOutcome.Completed), entityTracking: tracking))
        {
            events = await everything.ReceiveAsync(count: 2);
        }

        events.Select(e => e.Event.GetProperty("type").GetString()).Should().Equal(["task.dead_lettered", "entity.completed"], "one group: in the order they happened");
        events.Should().OnlyContain(e => e.Message.MessageGroupId == "doc-sns-1");
        events.Select(e => e.Message.Attributes[SnsEntityEventPublisher.EventTypeAttribute]).Should().Equal("task.dead_lettered", "entity.completed");

        var deadLetter = events[0].Event;
        deadLetter.GetProperty("entity_id").GetString().Should().Be("doc-sns-1");
        deadLetter.GetProperty("batch_id").GetString().Should().Be(enqueued.BatchId);
        deadLetter.GetProperty("task_name").GetString().Should().Be("scan");
        deadLetter.GetProperty("reason").GetString().Should().Be("not a PDF");

        var completion = events[1].Event;
        completion.GetProperty("batch_id").GetString().Should().Be(enqueued.BatchId);
        completion.GetProperty("revision").GetInt32().Should().Be(1);
        completion.GetProperty("total_tasks").GetInt32().Should().Be(3);
        completion.GetProperty("all_succeeded").GetBoolean().Should().BeFalse();
        var tasks = completion.GetProperty("tasks").EnumerateArray().ToDictionary(t => t.GetProperty("task_name").GetString()!, t => t);
        tasks.Keys.Should().BeEquivalentTo("ocr", "classify", "scan");
        tasks["scan"].GetProperty("state").GetString().Should().Be("dead_lettered");
        tasks["scan"].GetProperty("last_error").GetString().Should().Be("not a PDF");
        tasks["ocr"].GetProperty("state").GetString().Should().Be("completed");

        (await completionsOnly.ReceiveAsync(count: 1)).Single().Event.GetProperty("type").GetString().Should().Be("entity.completed", "its filter policy lets only completions through");
        (await everything.ReceiveNothingMoreAsync()).Should().BeTrue("exactly one event of each");
        (await completionsOnly.ReceiveNothingMoreAsync()).Should().BeTrue();

        // An announcement a worker repeats (it died before recording it) carries the same deduplication id: dropped.
        var batch = (await tracking.Ledger.GetBatchesAsync("doc-sns-1", default)).Single();
        await publisher.OnEntityCompletedAsync(batch, default);
        (await everything.ReceiveNothingMoreAsync()).Should().BeTrue("the repeat is deduplicated");
    }

    [Fact]
    public async Task EnsureTopicAndSubscribe_Repeated_SameArnsAndThePolicyLetsTheTopicSend()
    {
        var name = UniqueName("idempotent");
        var topicArn = await EntityEventTopic.EnsureTopicAsync(name, Aws);
        (await EntityEventTopic.EnsureTopicAsync(name, Aws)).Should().Be(topicArn);
        topicArn.Should().EndWith(":" + name);
        var queueUrl = await _sqs.CreateQueueAsync(UniqueName("listener"), new Dictionary<string, string> { [QueueAttributeNames.FifoQueue] = "true" });
        try
        {
            var subscription = await EntityEventTopic.SubscribeQueueAsync(LocalSqsServer.SdkClient, topicArn, queueUrl, awsOptions: Aws);
            (await EntityEventTopic.SubscribeQueueAsync(LocalSqsServer.SdkClient, topicArn, queueUrl, awsOptions: Aws)).Should().Be(subscription);

            var attributes = await _sqs.GetQueueAttributesAsync(queueUrl, [QueueAttributeNames.QueueArn, "Policy"]);
            var statements = JsonDocument.Parse(attributes["Policy"]).RootElement.GetProperty("Statement").EnumerateArray().ToList();
            statements.Should().ContainSingle("a second subscription adds no second statement");
            statements[0].GetProperty("Resource").GetString().Should().Be(attributes[QueueAttributeNames.QueueArn]);
            statements[0].GetProperty("Condition").GetProperty("ArnEquals").GetProperty("aws:SourceArn").GetString().Should().Be(topicArn);
        }
        finally
        {
            await _sqs.DeleteQueueAsync(queueUrl);
        }
    }

    [Fact]
    public async Task Publish_TopicThatDoesNotExist_ClearError()
    {
        var publisher = new SnsEntityEventPublisher($"arn:aws:sns:us-east-1:000000000000:{UniqueName("missing")}", Aws);

        var act = () => publisher.OnTaskDeadLetteredAsync(
            new TaskFate("doc-1", "b-1", "ocr", 1, EntityTaskState.DeadLettered, 1, "x", null, DateTimeOffset.UtcNow, TimeSpan.Zero), default);

        var error = (await act.Should().ThrowAsync<TaskQueueException>()).Which;
        error.IsTransient.Should().BeFalse();
        error.Message.Should().Contain("does not exist").And.Contain("EntityEventTopic.EnsureTopicAsync");
    }

    private static string UniqueName(string what) => $"t-{what}-{Guid.NewGuid():N}"[..40] + ".fifo";

    private async Task<Listener> ListenerAsync(string topicArn, EntityEvents events)
    {
        var url = await _sqs.CreateQueueAsync(UniqueName("listener"), new Dictionary<string, string> { [QueueAttributeNames.FifoQueue] = "true" });
        await EntityEventTopic.SubscribeQueueAsync(LocalSqsServer.SdkClient, topicArn, url, events, Aws);
        return new Listener(_sqs, url);
    }

    /// <summary>A subscribed queue, read and emptied as a subscribing service would.</summary>
    private sealed class Listener(ISqsClient sqs, string url) : IAsyncDisposable
    {
        public async Task<List<(ReceivedMessage Message, JsonElement Event)>> ReceiveAsync(int count)
        {
            var events = new List<(ReceivedMessage, JsonElement)>();
            var waited = Stopwatch.StartNew();
            while (events.Count < count)
            {
                waited.Elapsed.Should().BeLessThan(Patience, $"waiting for {count} events");
                // Long polls; one group, so each event comes once the one before it is deleted.
                foreach (var message in await sqs.ReceiveMessagesAsync(url, new ReceiveOptions(10, TimeSpan.FromSeconds(1))))
                {
                    events.Add((message, JsonDocument.Parse(message.Body).RootElement.Clone()));
                    await sqs.DeleteMessageAsync(url, message.ReceiptHandle);
                }
            }

            return events;
        }

        public async Task<bool> ReceiveNothingMoreAsync() =>
            (await sqs.ReceiveMessagesAsync(url, new ReceiveOptions(10, TimeSpan.FromSeconds(1)))).Count == 0;

        public async ValueTask DisposeAsync() => await sqs.DeleteQueueAsync(url);
    }
}
