using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using static TaskQueue.LedgerItem;

namespace TaskQueue;

/// <summary>
/// The ledger's writes, each one UpdateItem on the batch's item. Every attribute goes through an expression attribute
/// name (task names are free text, and <c>state</c> and its like are reserved words), and every write that creates
/// the batch sets its fields with <c>if_not_exists</c>, so whichever write comes first creates it and none resets it.
/// </summary>
internal sealed class LedgerWrites(string tableName)
{
    /// <summary>
    /// How many tasks one open write names: DynamoDB takes at most 4 KB of update expression, and each task's
    /// <c>#tN = if_not_exists(#tN, :pending)</c> is about 40 characters.
    /// </summary>
    public const int TasksPerOpenWrite = 50;

    /// <summary>The batch with its fields and these tasks as pending, where not recorded yet.</summary>
    public UpdateItemRequest Open(string entityId, string batchId, IReadOnlyList<string> taskNames, int totalTasks, DateTimeOffset enqueuedAt)
    {
        var write = new Expression();
        var sets = new List<string> { BatchFields(write, totalTasks, enqueuedAt) };
        var pending = write.Value(":pending", PendingTask());
        for (var i = 0; i < taskNames.Count; i++)
        {
            var task = write.Name("#t" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), TaskAttribute(taskNames[i]));
            sets.Add($"{task} = if_not_exists({task}, {pending})");
        }

        return write.Request(tableName, entityId, batchId, "SET " + string.Join(", ", sets), condition: null);
    }

    /// <summary>Records a fate over a task that has not finished (pending or never seen); creates the batch if needed.</summary>
    public UpdateItemRequest RecordUnfinished(TaskFate fate)
    {
        var write = new Expression();
        var task = write.Name("#task", TaskAttribute(fate.TaskName));
        var state = write.Name("#state", State);
        var set = $"SET {task} = {write.Value(":task", Task(fate))}, {BatchFields(write, fate.TotalTasks, fate.EnqueuedAt)}";
        return write.Request(tableName, fate.EntityId, fate.BatchId, set, $"attribute_not_exists({task}) OR {task}.{state} = {write.Value(":pending", StateValue(EntityTaskState.Pending))}");
    }

    /// <summary>Completes a dead-lettered task: the batch reopens under the next revision.</summary>
    public UpdateItemRequest Reopen(TaskFate fate)
    {
        var write = new Expression();
        var task = write.Name("#task", TaskAttribute(fate.TaskName));
        var state = write.Name("#state", State);
        var revision = write.Name("#revision", Revision);
        var set = $"SET {task} = {write.Value(":task", Task(fate))}, {revision} = {revision} + {write.Value(":one", Number(1))}";
        return write.Request(tableName, fate.EntityId, fate.BatchId, set, $"{task}.{state} = {write.Value(":deadLettered", StateValue(EntityTaskState.DeadLettered))}");
    }

    /// <summary>
    /// Takes the claim on <paramref name="revision"/>'s announcement: only while that revision is not announced and
    /// either no claim reached it or <paramref name="claimant"/> holds the claim. Fails on a batch that does not exist:
    /// its revisions compare to nothing.
    /// </summary>
    public UpdateItemRequest Claim(string entityId, string batchId, int revision, string claimant)
    {
        var write = new Expression();
        var announced = write.Name("#announced", AnnouncedRevision);
        var claimed = write.Name("#claimed", ClaimedRevision);
        var claimedBy = write.Name("#claimant", Claimant);
        var rev = write.Value(":revision", Number(revision));
        var who = write.Value(":claimant", new AttributeValue { S = claimant });
        return write.Request(
            tableName, entityId, batchId, $"SET {claimed} = {rev}, {claimedBy} = {who}", $"{announced} < {rev} AND ({claimed} < {rev} OR {claimedBy} = {who})");
    }

    /// <summary>Raises the announced revision to <paramref name="revision"/>; fails, changing nothing, where it is as high already.</summary>
    public UpdateItemRequest MarkAnnounced(string entityId, string batchId, int revision)
    {
        var write = new Expression();
        var announced = write.Name("#announced", AnnouncedRevision);
        var rev = write.Value(":revision", Number(revision));
        return write.Request(tableName, entityId, batchId, $"SET {announced} = {rev}", $"{announced} < {rev}");
    }

    /// <summary>The SET clauses that create the batch's fields where missing; the enqueue time only when known.</summary>
    private static string BatchFields(Expression write, int totalTasks, DateTimeOffset? enqueuedAt)
    {
        var zero = write.Value(":zero", Number(0));
        var clauses = new List<string>
        {
            IfNotExists(write.Name("#total", TotalTasks), write.Value(":total", Number(totalTasks))),
            IfNotExists(write.Name("#revision", Revision), write.Value(":first", Number(1))),
            IfNotExists(write.Name("#announced", AnnouncedRevision), zero),
            IfNotExists(write.Name("#claimed", ClaimedRevision), zero),
        };
        if (enqueuedAt is { } at)
        {
            clauses.Add(IfNotExists(write.Name("#enqueued", EnqueuedAt), write.Value(":enqueued", Date(at))));
        }

        return string.Join(", ", clauses);
    }

    private static string IfNotExists(string name, string value) => $"{name} = if_not_exists({name}, {value})";

    /// <summary>The names and values one expression uses: DynamoDB rejects a request that declares one it does not use.</summary>
    private sealed class Expression
    {
        private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);
        private readonly Dictionary<string, AttributeValue> _values = new(StringComparer.Ordinal);

        public string Name(string placeholder, string attribute)
        {
            _names[placeholder] = attribute;
            return placeholder;
        }

        public string Value(string placeholder, AttributeValue value)
        {
            _values[placeholder] = value;
            return placeholder;
        }

        public UpdateItemRequest Request(string tableName, string entityId, string batchId, string update, string? condition) => new()
        {
            TableName = tableName,
            Key = Key(entityId, batchId),
            UpdateExpression = update,
            ConditionExpression = condition,
            ExpressionAttributeNames = _names,
            ExpressionAttributeValues = _values,
            ReturnValues = ReturnValue.ALL_NEW,
        };
    }
}
