using Microsoft.Extensions.Time.Testing;

namespace TaskQueue.ModelTests.Simulation;

/// <summary>
/// The scenario's one true clock: a <see cref="FakeTimeProvider"/> that also knows when its next timer is due, so the
/// driver can jump straight to the next thing that happens instead of crawling through empty time.
/// </summary>
public sealed class SimulatedTime : TimeProvider
{
    private readonly FakeTimeProvider _fake;
    private readonly object _lock = new();
    private readonly HashSet<TrackedTimer> _timers = [];

    public SimulatedTime(DateTimeOffset start)
    {
        _fake = new FakeTimeProvider(start);
        Start = start;
    }

    public DateTimeOffset Start { get; }

    /// <summary>Fake time elapsed since the scenario began.</summary>
    public TimeSpan Elapsed => _fake.GetUtcNow() - Start;

    public override DateTimeOffset GetUtcNow() => _fake.GetUtcNow();

    public override long GetTimestamp() => _fake.GetTimestamp();

    public override long TimestampFrequency => _fake.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <summary>When the earliest timer still to fire is due, if any.</summary>
    public DateTimeOffset? NextDue()
    {
        lock (_lock)
        {
            return _timers.Where(t => t.Due is not null).Select(t => t.Due).Min();
        }
    }

    /// <summary>Moves time forward, firing the timers that come due on the way.</summary>
    public void Advance(TimeSpan step) => _fake.Advance(step);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new TrackedTimer(this);
        lock (_lock)
        {
            _timers.Add(timer);
        }

        timer.Schedule(dueTime, period);
        timer.Inner = _fake.CreateTimer(
            s =>
            {
                timer.Fired();
                callback(s);
            },
            state,
            dueTime,
            period);
        return timer;
    }

    private void Forget(TrackedTimer timer)
    {
        lock (_lock)
        {
            _timers.Remove(timer);
        }
    }

    /// <summary>A timer whose next due time is known to the clock.</summary>
    private sealed class TrackedTimer(SimulatedTime time) : ITimer
    {
        private TimeSpan _period = Timeout.InfiniteTimeSpan;

        public ITimer? Inner { get; set; }

        public DateTimeOffset? Due { get; private set; }

        public void Schedule(TimeSpan dueTime, TimeSpan period)
        {
            lock (time._lock)
            {
                _period = period;
                Due = dueTime == Timeout.InfiniteTimeSpan ? null : time.GetUtcNow() + dueTime;
            }
        }

        public void Fired()
        {
            lock (time._lock)
            {
                Due = _period == Timeout.InfiniteTimeSpan || _period == TimeSpan.Zero ? null : time.GetUtcNow() + _period;
            }
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            Schedule(dueTime, period);
            return Inner?.Change(dueTime, period) ?? false;
        }

        public void Dispose()
        {
            time.Forget(this);
            Inner?.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
