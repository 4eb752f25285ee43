using FluentAssertions;

namespace TaskQueue.Tests.Worker.Priority;

/// <summary>The receive scheduler on its own: no clock, only the events a worker reports (receives, holding, pauses).</summary>
public class ReceiveSchedulerTests
{
    private sealed class Member
    {
        public bool Holding { get; set; }

        public bool Paused { get; set; }

        public ReceiveTurn Turn { get; set; } = null!;
    }

    private static Member Join(ReceiveScheduler scheduler, int priority = 0, int weight = 1)
    {
        var member = new Member();
        member.Turn = scheduler.Join(priority, weight, () => member.Holding, () => member.Paused);
        return member;
    }

    [Fact]
    public void Strict_HigherPriorityWithWork_HoldsBackLower_NotTheOtherWayRound()
    {
        var scheduler = new ReceiveScheduler(QueuePriority.Strict);
        var high = Join(scheduler, priority: 10);
        var low = Join(scheduler, priority: 1);

        scheduler.TryEnter(low.Turn).Should().BeFalse("a queue is assumed to have work until its first receive says otherwise");
        scheduler.TryEnter(high.Turn).Should().BeTrue();
        high.Turn.Received(10);
        scheduler.TryEnter(low.Turn).Should().BeFalse("the high queue's last receive brought messages");
        low.Turn.Received(10);
        scheduler.TryEnter(high.Turn).Should().BeTrue("a lower queue with work never holds a higher one back");
    }

    [Fact]
    public void Strict_HighQueueEmptyAndIdle_LowReceives_HoldingOrNewWorkBlocksItAgain()
    {
        var scheduler = new ReceiveScheduler(QueuePriority.Strict);
        var high = Join(scheduler, priority: 1);
        var low = Join(scheduler, priority: 0);

        high.Holding = true;
        high.Turn.Received(0);
        scheduler.TryEnter(low.Turn).Should().BeFalse("the high worker still runs tasks it received");
        high.Holding = false;
        scheduler.TryEnter(low.Turn).Should().BeTrue("an empty long poll with nothing held is no work: an idle high queue does not starve a low one");
        high.Turn.Received(3);
        scheduler.TryEnter(low.Turn).Should().BeFalse();
    }

    [Fact]
    public void Strict_PausedOrFailingOrStoppedHighQueue_DoesNotHoldBackLow()
    {
        var scheduler = new ReceiveScheduler(QueuePriority.Strict);
        var high = Join(scheduler, priority: 1);
        var low = Join(scheduler, priority: 0);
        high.Turn.Received(10);
        high.Holding = true;

        high.Paused = true;
        scheduler.TryEnter(low.Turn).Should().BeTrue("a paused worker claims no work");
        high.Paused = false;
        high.Holding = false;
        high.Turn.Received(0);
        scheduler.TryEnter(low.Turn).Should().BeTrue("a failed receive counts as an empty one");
        high.Turn.Received(10);
        high.Turn.Leave();
        scheduler.TryEnter(low.Turn).Should().BeTrue("a stopped worker leaves");
    }

    [Fact]
    public async Task Strict_WaitingLowQueue_GoesOnWhenTheHighOneRunsOutOfWork()
    {
        var scheduler = new ReceiveScheduler(QueuePriority.Strict);
        var high = Join(scheduler, priority: 1);
        var low = Join(scheduler, priority: 0);
        high.Holding = true;
        high.Turn.Received(0);

        var waiting = low.Turn.WaitAsync(CancellationToken.None);
        await Task.Yield();
        waiting.IsCompleted.Should().BeFalse();
        high.Holding = false;
        high.Turn.Changed();

        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task WaitAsync_Cancelled_Throws()
    {
        var scheduler = new ReceiveScheduler(QueuePriority.Strict);
        Join(scheduler, priority: 1);
        var low = Join(scheduler, priority: 0);
        using var stop = new CancellationTokenSource();

        var waiting = low.Turn.WaitAsync(stop.Token);
        await stop.CancelAsync();

        await waiting.Invoking(w => w).Should().ThrowAsync<OperationCanceledException>();
    }

    [Theory]
    [InlineData(3, 1)]
    [InlineData(1, 1)]
    [InlineData(5, 2)]
    public void Weighted_BothQueuesFull_MessagesReceivedInProportionToTheWeights(int heavyWeight, int lightWeight)
    {
        var scheduler = new ReceiveScheduler(QueuePriority.Weighted);
        var heavy = Join(scheduler, weight: heavyWeight);
        var light = Join(scheduler, weight: lightWeight);
        var received = new Dictionary<Member, int> { [heavy] = 0, [light] = 0 };

        // Each round both ask; whoever may receive brings a full batch, as from two full queues.
        for (var round = 0; round < 1000; round++)
        {
            foreach (var member in round % 2 == 0 ? new[] { heavy, light } : new[] { light, heavy })
            {
                if (scheduler.TryEnter(member.Turn))
                {
                    member.Turn.Received(10);
                    received[member] += 10;
                }
            }
        }

        var ratio = (double)received[heavy] / received[light];
        ratio.Should().BeApproximately((double)heavyWeight / lightWeight, 0.05 * heavyWeight / lightWeight);
    }

    [Fact]
    public void Weighted_QueueBackAfterALull_StartsLevel_NoBurstForTheTimeItHadNoWork()
    {
        var scheduler = new ReceiveScheduler(QueuePriority.Weighted);
        var busy = Join(scheduler);
        var quiet = Join(scheduler);
        quiet.Turn.Received(0);
        for (var i = 0; i < 100; i++)
        {
            scheduler.TryEnter(busy.Turn).Should().BeTrue("alone with work, it never waits");
            busy.Turn.Received(10);
        }

        scheduler.TryEnter(quiet.Turn).Should().BeTrue();
        quiet.Turn.Received(10);
        var quietInARow = 0;
        while (scheduler.TryEnter(quiet.Turn) && quietInARow < 100)
        {
            quiet.Turn.Received(10);
            quietInARow++;
        }

        quietInARow.Should().BeLessThan(2, "the quiet queue's share was brought level with the busy one's");
    }
}
