using System.Collections.Concurrent;
using System.Diagnostics;
using FluentAssertions;
using Microsoft.Extensions.Options;
using TaskQueue.Sqs;
using TaskQueue.TestSupport;
using TaskQueue.TestSupport.Backends;

namespace TaskQueue.IntegrationTests.Telemetry;

/// <summary>Producer and consumer spans across a real round trip; each test tells its spans apart by a unique entity id.</summary>
public abstract class TracingScenarios : IDisposable
{
    private readonly ISqsBackend _backend;
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener;
    private readonly string _entity = "doc-" + Guid.NewGuid().ToString("N")[..8];

    protected TracingScenarios(ISqsBackend backend)
    {
        _backend = backend;
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == TaskQueueDiagnostics.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => _stopped.Enqueue(activity),
        };
        ActivitySource.AddActivityListener(_listener);
    }

    private List<Activity> Spans(ActivityKind kind) =>
        _stopped.Where(a => a.Kind == kind && (string?)a.GetTagItem("taskqueue.entity_id") == _entity).ToList();

    private async Task<(TaskQueueHandler Handler, TestQueues Queues)> HandlerAsync()
    {
        var queues = await TestQueues.CreateAsync(_backend.Client);
        var handler = new TaskQueueHandler(
            _backend.Client,
            Options.Create(new TaskQueueOptions { QueueUrl = queues.QueueUrl, WaitTime = TimeSpan.Zero, RetryBackoff = { Enabled = false } }),
            timeProvider: (_backend as InMemoryBackend)?.Time);
        return (handler, queues);
    }

    [Fact]
    public async Task EnqueueThenProcess_ConsumerSpanIsChildOfProducerSpan_WithMessagingAttributes()
    {
        var (handler, queues) = await HandlerAsync();
        await using var _ = queues;
        using var caller = new ActivitySource("test-caller");
        using var callerListener = new ActivityListener { ShouldListenTo = s => s.Name == "test-caller", Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded };
        ActivitySource.AddActivityListener(callerListener);

        using (caller.StartActivity("request"))
        {
            (await handler.EnqueueTasksAsync(_entity, [new TaskSpec("ocr"), new TaskSpec("classify")])).AllSucceeded.Should().BeTrue();
        }

        var result = await handler.ProcessOneAsync((_, _) => Task.FromResult(1));

        var producers = Spans(ActivityKind.Producer);
        producers.Should().HaveCount(2).And.OnlyContain(p => p.ParentSpanId != default, "both are children of the caller's span")
            .And.OnlyContain(p => p.ParentSpanId == producers[0].ParentSpanId, "siblings, not a chain");
        var consumer = Spans(ActivityKind.Consumer).Should().ContainSingle().Subject;
        result.Should().NotBeNull();
        var producer = producers.Single(p => (string?)p.GetTagItem("taskqueue.task_name") == result!.Task!.TaskName);
        consumer.TraceId.Should().Be(producer.TraceId);
        consumer.ParentSpanId.Should().Be(producer.SpanId);
        consumer.GetTagItem("messaging.system").Should().Be("aws_sqs");
        consumer.GetTagItem("messaging.destination.name").Should().Be(queues.QueueName);
        consumer.GetTagItem("messaging.operation.type").Should().Be("process");
        consumer.GetTagItem("messaging.message.id").Should().Be(result!.MessageId);
        producer.GetTagItem("messaging.message.id").Should().Be(result.MessageId);
        producer.GetTagItem("messaging.operation.type").Should().Be("send");
        consumer.Status.Should().Be(ActivityStatusCode.Unset);
    }

    [Fact]
    public async Task Process_HandlerThrows_SpanStatusErrorWithExceptionEvent()
    {
        var (handler, queues) = await HandlerAsync();
        await using var _ = queues;
        await handler.EnqueueTasksAsync(_entity, [new TaskSpec("ocr")]);

        await handler.ProcessOneAsync<int>((_, _) => throw new InvalidOperationException("scanner jammed"));

        var consumer = Spans(ActivityKind.Consumer).Should().ContainSingle().Subject;
        consumer.Status.Should().Be(ActivityStatusCode.Error);
        consumer.StatusDescription.Should().Be("scanner jammed");
        consumer.Events.Should().ContainSingle(e => e.Name == "exception")
            .Which.Tags.Should().Contain(new KeyValuePair<string, object?>("exception.type", "System.InvalidOperationException"));
    }

    [Fact]
    public async Task Process_MessageFromAnotherProducerWithTraceParent_JoinsThatTrace()
    {
        var (handler, queues) = await HandlerAsync();
        await using var _ = queues;
        var traceId = ActivityTraceId.CreateRandom();
        var spanId = ActivitySpanId.CreateRandom();
        await _backend.Client.SendMessageBatchAsync(queues.QueueUrl,
        [
            new OutgoingMessage("0", $$"""{"entity_id":"{{_entity}}","task_name":"ocr"}""", "g", "d1", new Dictionary<string, string>
            {
                ["traceparent"] = $"00-{traceId}-{spanId}-01",
                ["tracestate"] = "vendor=abc",
            }),
        ]);

        await handler.ProcessOneAsync((_, _) => Task.FromResult(1));

        var consumer = Spans(ActivityKind.Consumer).Should().ContainSingle().Subject;
        consumer.TraceId.Should().Be(traceId);
        consumer.ParentSpanId.Should().Be(spanId);
        consumer.TraceStateString.Should().Be("vendor=abc");
    }

    public void Dispose()
    {
        _listener.Dispose();
        GC.SuppressFinalize(this);
    }
}

public sealed class InMemoryTracingScenarios() : TracingScenarios(new InMemoryBackend());

public sealed class LocalServerTracingScenarios() : TracingScenarios(new LocalServerBackend());
