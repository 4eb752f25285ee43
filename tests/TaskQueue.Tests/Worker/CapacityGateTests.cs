using FluentAssertions;
using Microsoft.Extensions.Time.Testing;

namespace TaskQueue.Tests.Worker;

public class CapacityGateTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(20);

    /// <summary>The clock of the gates' batching windows: it moves only when a test advances it.</summary>
    private readonly FakeTimeProvider _time = new();

    private CapacityGate Gate(int capacity) => new(capacity, Window, _time);

    [Fact]
    public async Task Take_NothingHeld_TakesWhatIsFree()
    {
        var gate = Gate(20);

        (await gate.TakeAsync(10, CancellationToken.None)).Should().Be(10);
    }

    [Fact]
    public async Task Take_WhileHeld_WaitsForABatchOfSlots_NotForEachOne()
    {
        var gate = Gate(20);
        var first = await gate.TakeAsync(10, CancellationToken.None);
        gate.Received(first, 10);
        var second = await gate.TakeAsync(10, CancellationToken.None);
        gate.Received(second, 10);

        var waiting = gate.TakeAsync(10, CancellationToken.None);
        for (var i = 0; i < 9; i++)
        {
            gate.Release(1);
        }

        waiting.IsCompleted.Should().BeFalse("nine free slots are less than the batch of ten a receive waits for while messages are held");
        gate.Release(1);
        (await waiting.WaitAsync(TimeSpan.FromSeconds(10))).Should().Be(10);
    }

    [Fact]
    public async Task Take_Waiting_ItsTokenCancelled_ThrowsWhileAnotherWaiterGoesOnWaiting()
    {
        var gate = Gate(20);
        gate.Received(await gate.TakeAsync(10, CancellationToken.None), 10);
        gate.Received(await gate.TakeAsync(10, CancellationToken.None), 10);
        using var stop = new CancellationTokenSource();
        var stopped = gate.TakeAsync(10, stop.Token);
        var other = gate.TakeAsync(10, CancellationToken.None);

        await stop.CancelAsync();

        await stopped.Invoking(t => t.WaitAsync(TimeSpan.FromSeconds(10))).Should().ThrowAsync<OperationCanceledException>();
        other.IsCompleted.Should().BeFalse("no slot was freed for the waiter whose token was not cancelled");
        gate.Release(10);
        (await other.WaitAsync(TimeSpan.FromSeconds(10))).Should().Be(10);
    }

    [Fact]
    public async Task Take_NoRoomAndTokenAlreadyCancelled_Throws()
    {
        var gate = Gate(10);
        gate.Received(await gate.TakeAsync(10, CancellationToken.None), 10);

        var take = () => gate.TakeAsync(10, new CancellationToken(canceled: true)).WaitAsync(TimeSpan.FromSeconds(10));

        await take.Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task Take_WhileHeld_LastHeldMessageEnding_WakesTheWaiterForOneSlot()
    {
        var gate = Gate(4);
        var taken = await gate.TakeAsync(10, CancellationToken.None);
        gate.Received(taken, 4);
        var waiting = gate.TakeAsync(10, CancellationToken.None);

        gate.Release(1);
        waiting.IsCompleted.Should().BeFalse("one slot of four is less than the batch of two while three are held");
        gate.Release(3);

        (await waiting.WaitAsync(TimeSpan.FromSeconds(10))).Should().Be(4);
    }

    [Fact]
    public async Task Take_ReceiveThatBroughtLess_GivesTheRestBackToAWaiter()
    {
        var gate = Gate(20);
        var first = await gate.TakeAsync(10, CancellationToken.None);
        var second = await gate.TakeAsync(10, CancellationToken.None);
        gate.Received(first, 10);
        var waiting = gate.TakeAsync(10, CancellationToken.None);

        gate.Received(second, 0);

        (await waiting.WaitAsync(TimeSpan.FromSeconds(10))).Should().Be(10);
    }

    [Fact]
    public async Task Take_ParkedMessage_FreesItsSlotForAWaiter()
    {
        var gate = Gate(2);
        var taken = await gate.TakeAsync(10, CancellationToken.None);
        gate.Received(taken, 2);
        var waiting = gate.TakeAsync(10, CancellationToken.None);

        gate.Park().Should().BeTrue();

        (await waiting.WaitAsync(TimeSpan.FromSeconds(10))).Should().Be(1);
    }

    [Fact]
    public async Task Take_Cancelled_ThrowsAndALaterWaiterIsStillWoken()
    {
        var gate = Gate(2);
        var taken = await gate.TakeAsync(10, CancellationToken.None);
        gate.Received(taken, 2);
        using var cancel = new CancellationTokenSource();
        var cancelled = gate.TakeAsync(10, cancel.Token);
        await cancel.CancelAsync();
        await cancelled.Invoking(t => t).Should().ThrowAsync<OperationCanceledException>();

        var waiting = gate.TakeAsync(10, CancellationToken.None);
        gate.Release(2);

        (await waiting.WaitAsync(TimeSpan.FromSeconds(10))).Should().Be(2);
    }

    [Fact]
    public async Task Take_WhileHeld_RoomForLessThanABatch_ReceivesWhatFitsOnceTheWindowHasPassed()
    {
        var gate = Gate(10);
        gate.Received(await gate.TakeAsync(10, CancellationToken.None), 10);
        var waiting = gate.TakeAsync(10, CancellationToken.None);

        gate.Release(3);
        _time.Advance(Window - TimeSpan.FromMilliseconds(1));
        waiting.IsCompleted.Should().BeFalse("three free slots are less than the batch of five until the window has passed");
        _time.Advance(TimeSpan.FromMilliseconds(1));

        (await waiting.WaitAsync(TimeSpan.FromSeconds(10))).Should().Be(3);
    }

    [Fact]
    public async Task Take_WindowRunsFromTheFirstFreeSlot_NotFromTheWait()
    {
        var gate = Gate(10);
        gate.Received(await gate.TakeAsync(10, CancellationToken.None), 10);
        var waiting = gate.TakeAsync(10, CancellationToken.None);

        _time.Advance(Window * 3);
        waiting.IsCompleted.Should().BeFalse("no slot is free: there is nothing to receive for, however long the poller waited");
        gate.Release(1);
        _time.Advance(Window / 2);
        gate.Release(1);
        waiting.IsCompleted.Should().BeFalse("the window started with the first free slot and has not passed");
        _time.Advance(Window / 2);

        (await waiting.WaitAsync(TimeSpan.FromSeconds(10))).Should().Be(2);
    }

    [Fact]
    public async Task Take_AfterAWindowedTake_TheNextRoomWaitsAWindowOfItsOwn()
    {
        var gate = Gate(10);
        gate.Received(await gate.TakeAsync(10, CancellationToken.None), 10);
        var first = gate.TakeAsync(10, CancellationToken.None);
        gate.Release(2);
        _time.Advance(Window);
        var taken = await first.WaitAsync(TimeSpan.FromSeconds(10));
        gate.Received(taken, taken);

        var second = gate.TakeAsync(10, CancellationToken.None);
        gate.Release(1);

        second.IsCompleted.Should().BeFalse("the window that let the first receive go ended with its take");
        _time.Advance(Window);
        (await second.WaitAsync(TimeSpan.FromSeconds(10))).Should().Be(1);
    }

    [Fact]
    public async Task Take_ZeroWindow_OneFreeSlotIsEnoughAtOnce()
    {
        var gate = new CapacityGate(10, TimeSpan.Zero, _time);
        gate.Received(await gate.TakeAsync(10, CancellationToken.None), 10);
        var waiting = gate.TakeAsync(10, CancellationToken.None);

        gate.Release(1);

        (await waiting.WaitAsync(TimeSpan.FromSeconds(10))).Should().Be(1);
    }
}
