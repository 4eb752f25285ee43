using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using FluentAssertions;
using Microsoft.Extensions.Options;
using TaskQueue.TestSupport;
using TaskQueue.TestSupport.Backends;

namespace TaskQueue.IntegrationTests.Telemetry;

/// <summary>Every instrument of the TaskQueue meter moves during a real run on the local SQS server.</summary>
public sealed class MetricsTests : IDisposable
{
    private readonly ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)> _measurements = new();
    private readonly MeterListener _listener = new();

    public MetricsTests()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == TaskQueueDiagnostics.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
        _measurements.Enqueue((instrument.Name, value, new Dictionary<string, object?>(tags.ToArray())));

    private List<double> Values(string instrument, string taskName) =>
        _measurements.Where(m => m.Instrument == instrument && (string?)m.Tags.GetValueOrDefault("taskqueue.task_name") == taskName).Select(m => m.Value).ToList();

    [Fact]
    public async Task RoundTrip_EveryInstrumentMoves()
    {
        var backend = new LocalServerBackend();
        await using var queues = await TestQueues.CreateAsync(backend.Client);
        var handler = new TaskQueueHandler(backend.Client, Options.Create(new TaskQueueOptions
        {
            QueueUrl = queues.QueueUrl,
            DeadLetterQueueUrl = queues.DeadLetterQueueUrl,
            WaitTime = TimeSpan.Zero,
            RetryBackoff = { Enabled = false },
            PoisonMessageHandling = PoisonMessageHandling.MoveToDeadLetterQueue,
        }));
        var ok = "ok-" + Guid.NewGuid().ToString("N")[..8];
        var bad = "bad-" + Guid.NewGuid().ToString("N")[..8];
        await handler.EnqueueTasksAsync("doc-1", [new TaskSpec(ok), new TaskSpec(bad)]);
        await backend.Client.SendMessageBatchAsync(queues.QueueUrl, [new Sqs.OutgoingMessage("0", "not a task", "poison", Guid.NewGuid().ToString("N"))]);

        var inFlightInsideHandler = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            await handler.ProcessOneAsync(async (task, _) =>
            {
                inFlightInsideHandler.AddRange(Values("taskqueue.tasks.in_flight", task.TaskName));
                await Task.Delay(20);
                if (task.TaskName == bad)
                {
                    throw new InvalidOperationException("bad");
                }
            });
        }

        Values("taskqueue.tasks.enqueued", ok).Should().Equal(1);
        Values("taskqueue.tasks.enqueued", bad).Should().Equal(1);
        Values("taskqueue.tasks.succeeded", ok).Should().Equal(1);
        Values("taskqueue.tasks.failed", bad).Should().Equal(1);
        Values("taskqueue.task.duration", ok).Should().ContainSingle().Which.Should().BeGreaterThanOrEqualTo(0.015);
        Values("taskqueue.task.lag", ok).Should().ContainSingle().Which.Should().BeGreaterThanOrEqualTo(0);
        Values("taskqueue.tasks.in_flight", ok).Should().Equal(1, -1);
        inFlightInsideHandler.Should().Contain(1, "the task counts as in flight while its handler runs");
        _measurements.Should().Contain(m => m.Instrument == "taskqueue.tasks.dead_lettered" && (string?)m.Tags["taskqueue.task_name"] == "(poison)");
        _measurements.Should().Contain(m => m.Instrument == "taskqueue.tasks.failed" && (string?)m.Tags["taskqueue.task_name"] == "(poison)");
        var actions = _measurements.Where(m => m.Instrument == "taskqueue.sqs.requests").Select(m => (string?)m.Tags["aws.sqs.action"]).ToHashSet();
        actions.Should().Contain(["SendMessageBatch", "ReceiveMessage", "DeleteMessageBatch"]);
    }

    public void Dispose() => _listener.Dispose();
}
