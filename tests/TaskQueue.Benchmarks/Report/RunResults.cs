using System.Text.Json.Serialization;
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

    /// <summary>
    /// Every run of the variants the targets compare, in each round (see <see cref="EndToEndResult.Round"/>);
    /// <see cref="EndToEnd"/> shows one of each: the round with its median process-phase CPU per task.
    /// </summary>
    public IReadOnlyList<EndToEndResult> Rounds { get; init; } = [];

    /// <summary>How many rounds the compared variants ran (1 in a run made before rounds).</summary>
    [JsonIgnore]
    public int RoundCount => Rounds.Count == 0 ? 1 : Rounds.Max(r => r.Round);
}
