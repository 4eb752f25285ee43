namespace TaskQueue.ModelTests.Simulation;

/// <summary>
/// One worker's clock: the scenario's timers and monotonic timestamps, but a wall clock that can be stepped
/// forward or back, as NTP or an operator does to a host. The in-memory SQS keeps the true time.
/// </summary>
public sealed class SteppingClock(SimulatedTime time) : TimeProvider
{
    private long _offsetTicks;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public void Step(TimeSpan step) => Interlocked.Add(ref _offsetTicks, step.Ticks);

    public override DateTimeOffset GetUtcNow() => time.GetUtcNow() + Offset;

    public override long GetTimestamp() => time.GetTimestamp();

    public override long TimestampFrequency => time.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        time.CreateTimer(callback, state, dueTime, period);
}
