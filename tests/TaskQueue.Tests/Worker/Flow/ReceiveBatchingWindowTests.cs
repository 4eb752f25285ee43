using FluentAssertions;

namespace TaskQueue.Tests.Worker.Flow;

/// <summary>
/// The worker's receive batching window, on the in-memory SQS and a fake clock: room for fewer messages than a batch
/// is received for once the window has passed, not only when a batch's worth of tasks has ended.
/// </summary>
public sealed class ReceiveBatchingWindowTests
{
    [Theory]
    [InlineData(1, 3)]
    [InlineData(20, 10)]
    public async Task Worker_OneTaskEndsWhileOthersRun_ItsSlotIsReceivedForAfterTheWindow(int windowSeconds, int expectedStartSecond)
    {
        using var rig = await FakeTimeWorkerRig.CreateAsync();
        // Four slots (a batch is two): "a" ends at 2 s, "b" to "d" at 10 s; "e" waits in the queue.
        await rig.SendAsync(("doc-a", "a", 0), ("doc-b", "b", 0), ("doc-c", "c", 0), ("doc-d", "d", 0), ("doc-e", "e", 0));
        var started = rig.Time.GetUtcNow();
        rig.Start(
            o =>
            {
                o.MaxConcurrentTasks = 4;
                o.ReceiveBatchingWindow = TimeSpan.FromSeconds(windowSeconds);
            },
            (task, _) => task.TaskName == "e" ? Task.CompletedTask : Task.Delay(TimeSpan.FromSeconds(task.TaskName == "a" ? 2 : 10), rig.Time));

        await rig.AdvanceUntilAsync(() => rig.StartsOf("e").Any(), "\"e\" starts once a slot is received for");

        // The fake clock steps 100 ms at a time while the worker's threads catch up: a start may be noted a few steps late,
        // and 3 s of slack still tells 3 s from 10 s.
        var startedAfter = rig.StartsOf("e").Single().At - started;
        startedAfter.Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(expectedStartSecond))
            .And.BeLessThan(TimeSpan.FromSeconds(expectedStartSecond + 3),
                windowSeconds == 1
                    ? "the slot \"a\" freed at 2 s is received for when the 1 s window has passed"
                    : "with a window longer than the tasks, the poller waits for a batch's worth of slots, freed at 10 s");
        await rig.StopAsync();
    }
}
