using System.Globalization;
using Amazon.DynamoDBv2.Model;

namespace TaskQueue;

/// <summary>
/// The layout of one batch's item: key <c>entity_id</c> (partition) and <c>batch_id</c> (sort); the batch's fields;
/// and per task a top-level map attribute <c>t:{task name}</c> (state, attempts, error, finished_at, duration_ms), so
/// that a task is recorded by one SET of its own attribute, whatever else the item holds.
/// </summary>
internal static class LedgerItem
{
    public const string EntityId = "entity_id";
    public const string BatchId = "batch_id";
    public const string TotalTasks = "total_tasks";
    public const string EnqueuedAt = "enqueued_at";
    public const string Revision = "revision";
    public const string AnnouncedRevision = "announced_revision";
    public const string ClaimedRevision = "claimed_revision";
    public const string Claimant = "claimant";

    /// <summary>What a task's attribute name starts with; the rest is the task name, as written.</summary>
    public const string TaskPrefix = "t:";

    // The fields of a task's map.
    public const string State = "state";
    public const string Attempts = "attempts";
    public const string Error = "error";
    public const string FinishedAt = "finished_at";
    public const string DurationMs = "duration_ms";

    private const string Pending = "pending";
    private const string Completed = "completed";
    private const string DeadLettered = "dead_lettered";

    public static Dictionary<string, AttributeValue> Key(string entityId, string batchId) => new()
    {
        [EntityId] = new AttributeValue { S = entityId },
        [BatchId] = new AttributeValue { S = batchId },
    };

    public static string TaskAttribute(string taskName) => TaskPrefix + taskName;

    public static AttributeValue StateValue(EntityTaskState state) => new() { S = StateName(state) };

    public static AttributeValue Number(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };

    /// <summary>A date as sortable round-trip text in UTC: ticks kept, and text order is time order.</summary>
    public static AttributeValue Date(DateTimeOffset value) => new() { S = value.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture) };

    /// <summary>A pending task as the producer opened it: nothing recorded yet.</summary>
    public static AttributeValue PendingTask() => new() { M = new() { [State] = StateValue(EntityTaskState.Pending) } };

    /// <summary>
    /// The task's map as <paramref name="fate"/> records it: a finished fate with when and how long, a failed attempt
    /// (a pending fate) with its attempts and error only.
    /// </summary>
    public static AttributeValue Task(TaskFate fate)
    {
        var map = new Dictionary<string, AttributeValue>
        {
            [State] = StateValue(fate.State),
            [Attempts] = Number(fate.Attempts),
        };
        if (fate.LastError is not null)
        {
            map[Error] = new AttributeValue { S = fate.LastError };
        }

        if (fate.State != EntityTaskState.Pending)
        {
            map[FinishedAt] = Date(fate.FinishedAt);
            // Milliseconds with every tick kept: a decimal number, never a rounded double.
            map[DurationMs] = new AttributeValue { N = (fate.Duration.Ticks / (decimal)TimeSpan.TicksPerMillisecond).ToString(CultureInfo.InvariantCulture) };
        }

        return new AttributeValue { M = map };
    }

    /// <summary>Reads a batch's item: its tasks in ordinal order of their names.</summary>
    public static EntityBatchStatus Read(Dictionary<string, AttributeValue> item)
    {
        var tasks = new List<EntityTaskStatus>();
        foreach (var (name, value) in item)
        {
            if (name.StartsWith(TaskPrefix, StringComparison.Ordinal) && value.M is { } task)
            {
                tasks.Add(ReadTask(name[TaskPrefix.Length..], task));
            }
        }

        tasks.Sort((a, b) => string.CompareOrdinal(a.TaskName, b.TaskName));
        return new EntityBatchStatus(
            item[EntityId].S,
            item[BatchId].S,
            IntOf(item, TotalTasks) ?? 0,
            DateOf(item, EnqueuedAt),
            tasks,
            IntOf(item, Revision) ?? 1,
            IntOf(item, AnnouncedRevision) ?? 0);
    }

    private static EntityTaskStatus ReadTask(string taskName, Dictionary<string, AttributeValue> task) => new(
        taskName,
        task.TryGetValue(State, out var state) ? StateOf(state.S) : EntityTaskState.Pending,
        IntOf(task, Attempts) ?? 0,
        task.TryGetValue(Error, out var error) ? error.S : null,
        DateOf(task, FinishedAt),
        task.TryGetValue(DurationMs, out var duration) && duration.N is { } ms
            ? TimeSpan.FromTicks((long)(decimal.Parse(ms, NumberStyles.Float, CultureInfo.InvariantCulture) * TimeSpan.TicksPerMillisecond))
            : null);

    private static string StateName(EntityTaskState state) => state switch
    {
        EntityTaskState.Completed => Completed,
        EntityTaskState.DeadLettered => DeadLettered,
        _ => Pending,
    };

    private static EntityTaskState StateOf(string? name) => name switch
    {
        Completed => EntityTaskState.Completed,
        DeadLettered => EntityTaskState.DeadLettered,
        _ => EntityTaskState.Pending,
    };

    private static int? IntOf(Dictionary<string, AttributeValue> map, string name) =>
        map.TryGetValue(name, out var value) && value.N is { } number ? int.Parse(number, NumberStyles.Integer, CultureInfo.InvariantCulture) : null;

    private static DateTimeOffset? DateOf(Dictionary<string, AttributeValue> map, string name) =>
        map.TryGetValue(name, out var value) && value.S is { } text ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind) : null;
}
