using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Options;
using TaskQueue.Sqs;

namespace TaskQueue.Benchmarks.Micro;

/// <summary>The library's own cost per task, over <see cref="NoOpSqsClient"/>: no I/O, only building, serialising, parsing and dispatching.</summary>
[MemoryDiagnoser]
public class PerTaskBenchmarks
{
    /// <summary>A body as the library writes it: a small config and shared metadata.</summary>
    public const string Body =
        """{"entity_id":"doc-123","task_name":"ocr","task_config":{"language":"en","pages":3},"metadata":{"tenant":"acme","organisation":"org-7"},"timestamp":"2026-11-23T10:15:30.123456+00:00","retry_count":0,"total_tasks":10}""";

    private static readonly Func<TaskMessage, TaskContext, Task> NoOp = (_, _) => Task.CompletedTask;

    private readonly List<TaskSpec> _tasks =
        [.. Enumerable.Range(0, 10).Select(i => new TaskSpec("task" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), new OcrConfig("en", i)))];

    private readonly Tenant _metadata = new("acme", "org-7");
    private readonly string _body = Body;
    private TaskQueueHandler _enqueueHandler = null!;
    private TaskQueueHandler _processHandler = null!;

    /// <summary>Handlers over no-op clients; the process one receives a prepared message each time.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var options = Options.Create(new TaskQueueOptions { QueueUrl = "http://127.0.0.1/000000000000/bench.fifo" });
        _enqueueHandler = new TaskQueueHandler(new NoOpSqsClient(), options);
        var message = new ReceivedMessage(
            "5fea7756-0ea4-451a-a703-a558b933e274",
            "AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a...receipt-handle",
            Body,
            new Dictionary<string, string> { ["entity_id"] = "doc-123", ["task_name"] = "ocr" },
            new Dictionary<string, string>
            {
                [SystemAttributeNames.ApproximateReceiveCount] = "1",
                [SystemAttributeNames.MessageGroupId] = "doc-123-ocr",
                [SystemAttributeNames.SentTimestamp] = "1795429530123",
            });
        _processHandler = new TaskQueueHandler(new NoOpSqsClient(message), options);
    }

    /// <summary>EnqueueTasksAsync of one entity's 10 tasks (one batch call): figures are per task.</summary>
    [Benchmark(OperationsPerInvoke = 10)]
    public Task<EnqueueResult> EnqueueBatchOfTen() => _enqueueHandler.EnqueueTasksAsync("doc-123", _tasks, _metadata);

    /// <summary>ProcessOneAsync: receive (prepared), parse, dispatch to a no-op handler, delete.</summary>
    [Benchmark]
    public Task<ProcessResult<bool>?> ProcessOne() => _processHandler.ProcessOneAsync(NoOp);

    /// <summary>TaskMessageParser.TryParse of one body alone.</summary>
    [Benchmark]
    public bool ParseBody() => TaskMessageParser.TryParse(_body, out _, out _);

    /// <summary>A task's config.</summary>
    public sealed record OcrConfig(string Language, int Pages);

    /// <summary>Metadata shared by an enqueue's tasks.</summary>
    public sealed record Tenant(string TenantId, string Organisation);
}
