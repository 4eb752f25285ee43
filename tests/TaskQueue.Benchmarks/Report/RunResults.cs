using TaskQueue.Benchmarks.EndToEnd;
using TaskQueue.Benchmarks.FanOut;
using TaskQueue.Benchmarks.Micro;

namespace TaskQueue.Benchmarks.Report;

/// <summary>Everything one run of the harness measured.</summary>
/// <param name="Tasks">Tasks of each end-to-end run on loopback.</param>
/// <param name="LatencyTasks">Tasks of each end-to-end run with added latency.</param>
public sealed record RunResults(
    DateTimeOffset Started,
    TimeSpan Duration,
    MachineInfo Machine,
    int Tasks,
    int LatencyTasks,
    int Lanes,
    IReadOnlyList<EndToEndResult> EndToEnd,
    FanOutResult? FanOut,
    IReadOnlyList<MicroResult> Micro)
{
    /// <summary>The worker over an in-process feed (no network), when the micro-benchmarks ran.</summary>
    public WorkerLoopResult? WorkerLoop { get; init; }
}
