using System.Collections.Concurrent;
using FluentAssertions;
using Microsoft.Extensions.Time.Testing;

namespace TaskQueue.Tests.Worker;

public class GroupSequencerTests
{
    private readonly ConcurrentQueue<string> _ran = new();
    private readonly ConcurrentQueue<string> _released = new();

    private static MessageLease Lease(string group, int n) =>
        new(TestMessages.Received("{}", messageId: $"{group}#{n}", receipt: $"r-{group}-{n}", group: group), 0, new ReceiptDeadline(long.MaxValue), CancellationToken.None);

    private Task Release(IReadOnlyList<MessageLease> leases)
    {
        foreach (var lease in leases)
        {
            _released.Enqueue(lease.Message.MessageId);
        }

        return Task.CompletedTask;
    }

    [Fact]
    public async Task Enqueue_OneGroup_RunsInOrderOneAtATime()
    {
        var running = 0;
        var maxRunning = 0;
        using var sequencer = new GroupSequencer(8, async (lease, _) =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref maxRunning, now);
            await Task.Yield();
            await Task.Delay(1);
            _ran.Enqueue(lease.Message.MessageId);
            Interlocked.Decrement(ref running);
            return NextStep.Continue;
        }, Release, TimeProvider.System);

        sequencer.Enqueue([.. Enumerable.Range(0, 20).Select(i => Lease("g", i))]);
        await sequencer.WhenIdleAsync();

        _ran.Should().Equal(Enumerable.Range(0, 20).Select(i => $"g#{i}"));
        maxRunning.Should().Be(1);
    }

    [Fact]
    public async Task Enqueue_GroupsThatEndedAndNewOnes_EachRunsItsOwnMessagesInOrder()
    {
        using var sequencer = new GroupSequencer(2, async (lease, _) =>
        {
            await Task.Yield();
            _ran.Enqueue(lease.Message.MessageId);
            return NextStep.Continue;
        }, Release, TimeProvider.System);

        sequencer.Enqueue([Lease("a", 0), Lease("b", 0)]);
        await sequencer.WhenIdleAsync();
        sequencer.Enqueue([Lease("c", 0), Lease("c", 1), Lease("a", 1), Lease("c", 2)]);
        await sequencer.WhenIdleAsync();
        sequencer.Enqueue([Lease("b", 1)]);
        await sequencer.WhenIdleAsync();

        _ran.Should().HaveCount(7).And.OnlyHaveUniqueItems();
        _ran.Where(id => id.StartsWith('c')).Should().Equal("c#0", "c#1", "c#2");
        _ran.Where(id => id.StartsWith('a')).Should().Equal("a#0", "a#1");
        _ran.Where(id => id.StartsWith('b')).Should().Equal("b#0", "b#1");
    }

    [Fact]
    public async Task Enqueue_ManyGroups_RunInParallelUpToLimit()
    {
        var running = 0;
        var maxRunning = 0;
        var release = new TaskCompletionSource();
        using var sequencer = new GroupSequencer(3, async (lease, _) =>
        {
            InterlockedMax(ref maxRunning, Interlocked.Increment(ref running));
            await release.Task;
            Interlocked.Decrement(ref running);
            _ran.Enqueue(lease.Message.MessageId);
            return NextStep.Continue;
        }, Release, TimeProvider.System);

        sequencer.Enqueue([.. Enumerable.Range(0, 10).Select(i => Lease($"g{i}", 0))]);
        await WaitUntil(() => Volatile.Read(ref running) == 3);
        await Task.Delay(20);
        Volatile.Read(ref running).Should().Be(3, "the limit holds");
        release.SetResult();
        await sequencer.WhenIdleAsync();

        _ran.Should().HaveCount(10);
        maxRunning.Should().Be(3);
    }

    [Fact]
    public async Task Enqueue_FailureInGroup_LaterMessagesReleasedNotRun_OtherGroupsGoOn()
    {
        using var sequencer = new GroupSequencer(4, (lease, _) =>
        {
            _ran.Enqueue(lease.Message.MessageId);
            return ValueTask.FromResult(lease.Message.MessageId != "a#1" ? NextStep.Continue : NextStep.Stop);
        }, Release, TimeProvider.System);

        sequencer.Enqueue([Lease("a", 0), Lease("b", 0), Lease("a", 1), Lease("b", 1), Lease("a", 2), Lease("a", 3), Lease("b", 2)]);
        await sequencer.WhenIdleAsync();

        _ran.Should().BeEquivalentTo(["a#0", "a#1", "b#0", "b#1", "b#2"]);
        _released.Should().Equal("a#2", "a#3");
    }

    [Fact]
    public async Task Enqueue_GroupAlreadyRunning_NewMessagesQueueBehindIt()
    {
        var first = new TaskCompletionSource();
        using var sequencer = new GroupSequencer(4, async (lease, _) =>
        {
            if (lease.Message.MessageId == "g#0")
            {
                await first.Task;
            }

            _ran.Enqueue(lease.Message.MessageId);
            return NextStep.Continue;
        }, Release, TimeProvider.System);

        sequencer.Enqueue([Lease("g", 0)]);
        sequencer.Enqueue([Lease("g", 1)]);
        await Task.Delay(20);
        _ran.Should().BeEmpty();
        first.SetResult();
        await sequencer.WhenIdleAsync();

        _ran.Should().Equal("g#0", "g#1");
    }

    [Fact]
    public async Task Stop_WaitingMessagesReleased_RunningOneFinishes()
    {
        var running = new TaskCompletionSource();
        var finish = new TaskCompletionSource();
        using var sequencer = new GroupSequencer(1, async (lease, _) =>
        {
            running.TrySetResult();
            await finish.Task;
            _ran.Enqueue(lease.Message.MessageId);
            return NextStep.Continue;
        }, Release, TimeProvider.System);

        sequencer.Enqueue([Lease("a", 0), Lease("a", 1), Lease("b", 0)]);
        await running.Task;
        await sequencer.StopAsync();
        finish.SetResult();
        await sequencer.WhenIdleAsync();

        _ran.Should().ContainSingle().Which.Should().BeOneOf("a#0", "b#0");
        _released.Should().HaveCount(2);
        _ran.Concat(_released).Should().BeEquivalentTo(["a#0", "a#1", "b#0"]);
    }

    [Fact]
    public async Task RetryAfter_SameMessageRunsAgainAfterTheDelay_SuccessorsHeldThenRunInOrder()
    {
        var time = new FakeTimeProvider();
        var successorsSeen = new ConcurrentQueue<bool>();
        var startedAt = new ConcurrentQueue<DateTimeOffset>();
        var attempts = 0;
        using var sequencer = new GroupSequencer(4, (lease, successorsHeld) =>
        {
            _ran.Enqueue(lease.Message.MessageId);
            if (lease.Message.MessageId == "g#0")
            {
                startedAt.Enqueue(time.GetUtcNow());
                successorsSeen.Enqueue(successorsHeld);
                return ValueTask.FromResult(++attempts < 3 ? NextStep.RetryAfter(TimeSpan.FromSeconds(5)) : NextStep.Continue);
            }

            return ValueTask.FromResult(NextStep.Continue);
        }, Release, time);

        sequencer.Enqueue([Lease("g", 0), Lease("g", 1), Lease("g", 2)]);
        var idle = sequencer.WhenIdleAsync();
        for (var i = 0; i < 500 && !idle.IsCompleted; i++)
        {
            await Task.Delay(2);
            time.Advance(TimeSpan.FromMilliseconds(500));
        }

        await idle;
        _ran.Should().Equal("g#0", "g#0", "g#0", "g#1", "g#2");
        startedAt.Zip(startedAt.Skip(1)).Should().OnlyContain(p => p.Second - p.First >= TimeSpan.FromSeconds(5), "each retry waits its delay");
        successorsSeen.Should().Equal(true, true, true);
        _released.Should().BeEmpty("nothing went back to the queue, so no receive counts against the later tasks");
    }

    [Fact]
    public async Task RetryAfter_StopDuringTheDelay_MessageAndSuccessorsReleased()
    {
        var time = new FakeTimeProvider();
        using var sequencer = new GroupSequencer(4, (lease, _) =>
        {
            _ran.Enqueue(lease.Message.MessageId);
            return ValueTask.FromResult(NextStep.RetryAfter(TimeSpan.FromMinutes(1)));
        }, Release, time);

        sequencer.Enqueue([Lease("g", 0), Lease("g", 1)]);
        await WaitUntil(() => _ran.Count == 1);
        await sequencer.StopAsync();
        await sequencer.WhenIdleAsync();

        _ran.Should().Equal("g#0");
        _released.Should().Equal("g#0", "g#1");
    }

    [Fact]
    public async Task Enqueue_ReturnsBeforeTheRunsStart_RunsInTheCallersExecutionContext()
    {
        var ambient = new AsyncLocal<string>();
        var seen = new ConcurrentQueue<string?>();
        using var enqueueReturned = new ManualResetEventSlim();
        var startedBeforeReturn = 0;
        using var sequencer = new GroupSequencer(4, (lease, _) =>
        {
            seen.Enqueue(ambient.Value);
            // Run on the poller's thread, the run would wait here with Enqueue not yet returned.
            if (!enqueueReturned.Wait(TimeSpan.FromSeconds(5)))
            {
                Interlocked.Increment(ref startedBeforeReturn);
            }

            return ValueTask.FromResult(NextStep.Continue);
        }, Release, TimeProvider.System);

        ambient.Value = "poller";
        sequencer.Enqueue([Lease("a", 0), Lease("b", 0)]);
        enqueueReturned.Set();
        ambient.Value = "changed after";
        await sequencer.WhenIdleAsync();

        // A poller's logging scope or ambient span is the task's too, as when the run was an awaited yield.
        seen.Should().Equal("poller", "poller");
        startedBeforeReturn.Should().Be(0);
    }

    [Fact]
    public async Task WhenIdle_ReleaseOfAGroupThrew_ThrowsItOnceAllGroupsEnded()
    {
        using var sequencer = new GroupSequencer(4, (lease, _) =>
            ValueTask.FromResult(lease.Message.MessageId == "a#0" ? NextStep.Stop : NextStep.Continue),
            _ => throw new InvalidOperationException("release failed"),
            TimeProvider.System);

        sequencer.Enqueue([Lease("a", 0), Lease("a", 1), Lease("b", 0)]);
        var idle = () => sequencer.WhenIdleAsync();

        await idle.Should().ThrowAsync<InvalidOperationException>().WithMessage("release failed");
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        condition().Should().BeTrue();
    }
}
