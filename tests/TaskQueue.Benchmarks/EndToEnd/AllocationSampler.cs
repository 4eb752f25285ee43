using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Globalization;

namespace TaskQueue.Benchmarks.EndToEnd;

/// <summary>
/// Where a run's allocations go, by type: listens to the runtime's allocation ticks (one event about every 100 KB
/// allocated, naming the type of the object that crossed the mark) and prints the types with the most ticks to
/// standard error when disposed. On when <c>BENCH_ALLOCATIONS=1</c>; a sample, so read it as shares, not bytes.
/// </summary>
public sealed class AllocationSampler : EventListener
{
    private const int AllocationTickEventId = 10;
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private readonly ConcurrentDictionary<string, long> _ticks = new(StringComparer.Ordinal);

    /// <summary>A sampler when <c>BENCH_ALLOCATIONS=1</c>, else null.</summary>
    public static AllocationSampler? StartIfAsked() =>
        Environment.GetEnvironmentVariable("BENCH_ALLOCATIONS") == "1" ? new AllocationSampler() : null;

    /// <inheritdoc />
    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        ArgumentNullException.ThrowIfNull(eventSource);
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
        }
    }

    /// <inheritdoc />
    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.EventId == AllocationTickEventId && eventData.PayloadNames?.IndexOf("TypeName") is { } at and >= 0)
        {
            _ticks.AddOrUpdate(eventData.Payload![at] as string ?? "?", 1, (_, n) => n + 1);
        }
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        var total = Math.Max(1, _ticks.Values.Sum());
        foreach (var (type, ticks) in _ticks.OrderByDescending(t => t.Value).Take(40))
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"alloc {100.0 * ticks / total,5:F1} % {ticks,6} {type}"));
        }

        base.Dispose();
    }
}
