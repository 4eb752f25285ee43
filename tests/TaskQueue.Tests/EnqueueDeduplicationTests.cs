using System.Globalization;
using FluentAssertions;
using Microsoft.Extensions.Time.Testing;
using TaskQueue.Sqs;

namespace TaskQueue.Tests;

public class EnqueueDeduplicationTests
{
    private readonly List<IReadOnlyList<OutgoingMessage>> _batches = [];

    // Never advanced: two calls at one instant must still be told apart.
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-23T10:15:30.123456Z", CultureInfo.InvariantCulture));

    private TaskQueueHandler Handler(Action<TaskQueueOptions>? configure = null) =>
        new(TestMessages.AcceptingSqs(_batches).Object, TestMessages.Options(configure), timeProvider: _time);

    [Fact]
    public async Task EnqueueTasks_ByDefault_SameTaskEnqueuedAgainAtTheSameInstantGetsANewDeduplicationId()
    {
        var handler = Handler();

        var first = await handler.EnqueueTasksAsync("doc-1", [new TaskSpec("ocr")]);
        var second = await handler.EnqueueTasksAsync("doc-1", [new TaskSpec("ocr")]);

        second.Tasks[0].DeduplicationId.Should().NotBe(first.Tasks[0].DeduplicationId, "a new enqueue is new work, never a duplicate");
    }

    [Fact]
    public async Task EnqueueTasks_PerCallMode_TwoCallsAtTheSameInstantGetDistinctDeduplicationIds()
    {
        var handler = Handler(o => o.DeduplicationMode = DeduplicationMode.PerCall);

        var first = await handler.EnqueueTasksAsync("doc-1", [new TaskSpec("ocr")]);
        var second = await handler.EnqueueTasksAsync("doc-1", [new TaskSpec("ocr")]);

        second.Tasks[0].DeduplicationId.Should().NotBe(first.Tasks[0].DeduplicationId);
    }

    public static TheoryData<DeduplicationMode> Modes => [DeduplicationMode.PerCall, DeduplicationMode.Deterministic];

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task EnqueueTasks_PairsWhoseJoinedNamesCollide_GetDistinctDeduplicationIds(DeduplicationMode mode)
    {
        var handler = Handler(o => o.DeduplicationMode = mode);

        var first = await handler.EnqueueTasksAsync("a-b", [new TaskSpec("c")]);
        var second = await handler.EnqueueTasksAsync("a", [new TaskSpec("b-c")]);

        second.Tasks[0].MessageGroupId.Should().Be(first.Tasks[0].MessageGroupId, "the readable group id is shared with the reference handler");
        second.Tasks[0].DeduplicationId.Should().NotBe(first.Tasks[0].DeduplicationId);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task EnqueueTasks_LongIdsWhoseJoinedNamesCollide_GetDistinctDeduplicationIds(DeduplicationMode mode)
    {
        var handler = Handler(o => o.DeduplicationMode = mode);
        var longEntity = new string('e', 200);

        var first = await handler.EnqueueTasksAsync(longEntity + "-b", [new TaskSpec("c")]);
        var second = await handler.EnqueueTasksAsync(longEntity, [new TaskSpec("b-c")]);

        second.Tasks[0].DeduplicationId.Should().NotBe(first.Tasks[0].DeduplicationId);
        second.Tasks[0].DeduplicationId.Length.Should().BeLessThanOrEqualTo(128);
    }

    [Fact]
    public async Task EnqueueTasks_DeterministicMode_SameIdOnEveryCallAndDistinctPerTask()
    {
        var handler = Handler(o => o.DeduplicationMode = DeduplicationMode.Deterministic);

        var first = await handler.EnqueueTasksAsync("doc-1", [new TaskSpec("ocr"), new TaskSpec("classify")]);
        _time.Advance(TimeSpan.FromSeconds(1));
        var second = await handler.EnqueueTasksAsync("doc-1", [new TaskSpec("ocr"), new TaskSpec("classify")]);

        second.Tasks.Select(t => t.DeduplicationId).Should().Equal(first.Tasks.Select(t => t.DeduplicationId));
        first.Tasks[0].DeduplicationId.Should().NotBe(first.Tasks[1].DeduplicationId);
    }

    [Fact]
    public async Task EnqueueTasks_ByDefault_TasksOfOneCallGetDistinctIds()
    {
        var result = await Handler().EnqueueTasksAsync("doc-1", [new TaskSpec("ocr"), new TaskSpec("classify")]);

        result.Tasks.Select(t => t.DeduplicationId).Should().OnlyHaveUniqueItems();
    }
}
