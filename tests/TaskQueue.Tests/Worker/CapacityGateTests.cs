using FluentAssertions;

namespace TaskQueue.Tests.Worker;

public class CapacityGateTests
{
    [Fact]
    public async Task Take_NothingHeld_TakesWhatIsFree()
    {
        var gate = new CapacityGate(20);

        (await gate.TakeAsync(10, CancellationToken.None)).Should().Be(10);
    }

    [Fact]
    public async Task Take_WhileHeld_WaitsForABatchOfSlots_NotForEachOne()
    {
        var gate = new CapacityGate(20);
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
        var gate = new CapacityGate(20);
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
        var gate = new CapacityGate(10);
        gate.Received(await gate.TakeAsync(10, CancellationToken.None), 10);

        var take = () => gate.TakeAsync(10, new CancellationToken(canceled: true)).WaitAsync(TimeSpan.FromSeconds(10));

        await take.Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task Take_WhileHeld_LastHeldMessageEnding_WakesTheWaiterForOneSlot()
    {
        var gate = new CapacityGate(4);
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
        var gate = new CapacityGate(20);
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
        var gate = new CapacityGate(2);
        var taken = await gate.TakeAsync(10, CancellationToken.None);
        gate.Received(taken, 2);
        var waiting = gate.TakeAsync(10, CancellationToken.None);

        gate.Park().Should().BeTrue();

        (await waiting.WaitAsync(TimeSpan.FromSeconds(10))).Should().Be(1);
    }

    [Fact]
    public async Task Take_Cancelled_ThrowsAndALaterWaiterIsStillWoken()
    {
        var gate = new CapacityGate(2);
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
}
