using System.Globalization;
using System.Text.Json;

namespace TaskQueue.Benchmarks.EndToEnd;

/// <summary>
/// The tasks every variant sends and processes: <see cref="Tasks"/> tasks, ten per entity, each task in its own
/// message group <c>{entity}-{task}</c>, as <c>EnqueueTasksAsync</c> makes them.
/// </summary>
/// <param name="Tasks">How many tasks, a multiple of 10.</param>
/// <param name="Lanes">Concurrent streams of SQS calls (senders, pollers, loops), the same in every variant: a batching variant keeps 10 messages in flight per lane, the one-at-a-time pattern one.</param>
/// <param name="RunId">Makes entity ids (and so deduplication ids) unique to the run.</param>
public sealed record Workload(int Tasks, int Lanes, string RunId)
{
    /// <summary>Tasks per entity, and so per batch call.</summary>
    public const int TasksPerEntity = 10;

    /// <summary>The task names of each entity.</summary>
    public static IReadOnlyList<string> TaskNames { get; } =
        [.. Enumerable.Range(0, TasksPerEntity).Select(i => "task" + i.ToString(CultureInfo.InvariantCulture))];

    /// <summary>How many entities.</summary>
    public int Entities => Tasks / TasksPerEntity;


    /// <summary>The id of entity <paramref name="index"/>.</summary>
    public string EntityId(int index) => $"doc-{RunId}-{index.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>
    /// The body the library would write for a task: the same fields and about the same size, so the hand-written
    /// variants move the same bytes.
    /// </summary>
    public static string Body(string entityId, string taskName) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["entity_id"] = entityId,
        ["task_name"] = taskName,
        ["task_config"] = new Dictionary<string, object>(),
        ["metadata"] = new Dictionary<string, object>(),
        ["timestamp"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00'", CultureInfo.InvariantCulture),
        ["retry_count"] = 0,
        ["total_tasks"] = TasksPerEntity,
    });
}
