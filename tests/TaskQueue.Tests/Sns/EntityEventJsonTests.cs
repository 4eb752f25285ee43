using FluentAssertions;

namespace TaskQueue.Tests.Sns;

public class EntityEventJsonTests
{
    private static readonly DateTimeOffset Enqueued = new(2026, 11, 23, 10, 15, 30, 123, TimeSpan.Zero);

    [Fact]
    public void EntityCompleted_WritesTheBatchAndEachTask()
    {
        var json = EntityEventWriter.EntityCompleted(Batch(), withTasks: true);

        json.Should().Be(Json(
            "{'type':'entity.completed','entity_id':'doc-1','batch_id':'b-1','revision':2,'total_tasks':2,'all_succeeded':false,"
            + "'enqueued_at':'2026-11-23T10:15:30.123000+00:00','completed_at':'2026-11-23T10:15:35.123000+00:00','tasks':["
            + "{'task_name':'ocr','state':'completed','attempts':1,'last_error':null,'duration_ms':1500},"
            + "{'task_name':'année','state':'dead_lettered','attempts':3,'last_error':'handler asked: \\'bad scan\\'','duration_ms':2}]}"));
    }

    [Fact]
    public void EntityCompleted_WithoutTasks_SaysTheyWereOmitted()
    {
        var json = EntityEventWriter.EntityCompleted(Batch(), withTasks: false);

        json.Should().EndWith(Json("'completed_at':'2026-11-23T10:15:35.123000+00:00','tasks_omitted':true}")).And.NotContain("\"tasks\"");
    }

    [Fact]
    public void EntityCompleted_UnknownTimesAndDurations_AreNull()
    {
        var batch = new EntityBatchStatus("doc-1", "b-1", 1, null, [new EntityTaskStatus("ocr", EntityTaskState.Completed, 1, FinishedAt: Enqueued)], 1, 0);

        EntityEventWriter.EntityCompleted(batch, withTasks: true).Should().Contain("\"enqueued_at\":null").And.Contain("\"duration_ms\":null").And.Contain("\"all_succeeded\":true");
    }

    [Fact]
    public void TaskDeadLettered_WritesTheTaskAndItsReason()
    {
        var fate = new TaskFate("doc-1", "b-1", "ocr", 3, EntityTaskState.DeadLettered, 4, "non-retryable", Enqueued, Enqueued.AddSeconds(9), TimeSpan.FromSeconds(1));

        EntityEventWriter.TaskDeadLettered(fate).Should().Be(
            """{"type":"task.dead_lettered","entity_id":"doc-1","batch_id":"b-1","task_name":"ocr","attempts":4,"reason":"non-retryable","at":"2026-11-23T10:15:39.123000+00:00"}""");
    }

    [Fact]
    public void LongErrors_AreCutWithAnEllipsis()
    {
        var fate = new TaskFate("doc-1", "b-1", "ocr", 1, EntityTaskState.DeadLettered, 1, new string('x', 5000), null, Enqueued, TimeSpan.Zero);

        var json = EntityEventWriter.TaskDeadLettered(fate);

        json.Should().Contain(new string('x', EntityEventWriter.MaxErrorLength) + "\u2026\"").And.NotContain(new string('x', EntityEventWriter.MaxErrorLength + 1));
    }

    [Fact]
    public void Cut_NeverSplitsASurrogatePair()
    {
        var text = new string('x', EntityEventWriter.MaxErrorLength - 1) + "\U0001F600" + "tail";

        var cut = EntityEventWriter.Cut(text)!;

        cut.Should().Be(new string('x', EntityEventWriter.MaxErrorLength - 1) + "\u2026");
    }

    /// <summary>JSON written with ' for ", so the expected texts read as the JSON does.</summary>
    private static string Json(string text) => text.Replace('\'', '"');

    internal static EntityBatchStatus Batch() => new(
        "doc-1",
        "b-1",
        2,
        Enqueued,
        [
            new EntityTaskStatus("ocr", EntityTaskState.Completed, 1, null, Enqueued.AddSeconds(2), TimeSpan.FromMilliseconds(1500.4)),
            new EntityTaskStatus("année", EntityTaskState.DeadLettered, 3, "handler asked: \"bad scan\"", Enqueued.AddSeconds(5), TimeSpan.FromMilliseconds(1.5)),
        ],
        2,
        1);
}
