using Microsoft.Extensions.Time.Testing;

namespace TaskQueue.Tests;

/// <summary>
/// A clock whose wall time can be stepped backward or forward, as NTP or an operator does, while its monotonic
/// timestamps and timers follow the fake time underneath undisturbed.
/// </summary>
internal sealed class SteppingClock(FakeTimeProvider time) : TimeProvider
{
    private TimeSpan _step;

    public override long TimestampFrequency => time.TimestampFrequency;

    public override DateTimeOffset GetUtcNow() => time.GetUtcNow() + _step;

    public override long GetTimestamp() => time.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        time.CreateTimer(callback, state, dueTime, period);

    /// <summary>Moves the wall clock by <paramref name="step"/> without any time passing.</summary>
    public void Step(TimeSpan step) => _step += step;
}
