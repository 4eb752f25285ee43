namespace TaskQueue;

/// <summary>
/// When a receipt handle stops working: its visibility timeout's end, as a point on the monotonic clock
/// (<see cref="TimeProvider.GetTimestamp"/>), so a step of the wall clock neither stretches nor cuts it.
/// </summary>
/// <param name="Timestamp">The monotonic timestamp at which the visibility ends.</param>
internal readonly record struct ReceiptDeadline(long Timestamp)
{
    /// <summary>The deadline <paramref name="visibility"/> from now.</summary>
    public static ReceiptDeadline After(TimeProvider time, TimeSpan visibility) => From(time, time.GetTimestamp(), visibility);

    /// <summary>The deadline <paramref name="visibility"/> after the monotonic timestamp <paramref name="start"/>.</summary>
    public static ReceiptDeadline From(TimeProvider time, long start, TimeSpan visibility) =>
        new(start + (long)(visibility.TotalSeconds * time.TimestampFrequency));

    /// <summary>How long the receipt is still good; zero or less once it has expired.</summary>
    public TimeSpan Remaining(TimeProvider time) =>
        TimeSpan.FromSeconds((double)(Timestamp - time.GetTimestamp()) / time.TimestampFrequency);

    /// <summary>True once the visibility has ended: the message may be with another worker.</summary>
    public bool HasPassed(TimeProvider time) => time.GetTimestamp() >= Timestamp;
}
