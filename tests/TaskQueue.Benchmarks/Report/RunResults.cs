using TaskQueue.Benchmarks.EndToEnd;
using TaskQueue.Benchmarks.FanOut;
using TaskQueue.Benchmarks.Micro;

namespace TaskQueue.Benchmarks.Report;

/// <summary>Everything one run of the harness measured.</summary>
public sealed record RunResults(
    DateTimeOffset Started,
    TimeSpan Duration,
    MachineInfo Machine,
    int Tasks,
    int Lanes,
    IReadOnlyList<EndToEndResult> EndToEnd,
    FanOutResult? FanOut,
    IReadOnlyList<MicroResult> Micro);
