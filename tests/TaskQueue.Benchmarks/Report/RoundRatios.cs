using System.Globalization;
using TaskQueue.Benchmarks.EndToEnd;

namespace TaskQueue.Benchmarks.Report;

/// <summary>
/// A figure of one variant divided by the same figure of another, in every round both ran in at one latency; the
/// median of those ratios is the one a target reads. A run written before rounds (or with one round) gives one ratio.
/// </summary>
internal sealed class RoundRatios(RunResults results, int latency)
{
    /// <summary>The ratio of <paramref name="figure"/> of <paramref name="variant"/> to <paramref name="reference"/>, or null when either did not run.</summary>
    public Ratio? Of(string variant, string reference, Func<EndToEndResult, double> figure)
    {
        var ours = RunsOf(results, variant, latency).ToDictionary(r => r.Round);
        var each = RunsOf(results, reference, latency)
            .Where(r => ours.ContainsKey(r.Round))
            .OrderBy(r => r.Round)
            .Select(r => figure(ours[r.Round]) / figure(r))
            .ToList();
        return each.Count == 0 ? null : new Ratio(Median(each), each);
    }

    /// <summary>The median of <paramref name="figure"/> over the runs of <paramref name="variant"/>.</summary>
    public double MedianOf(string variant, Func<EndToEndResult, double> figure) => Median(RunsOf(results, variant, latency).Select(figure).ToList());

    /// <summary>Every run of <paramref name="variant"/> at <paramref name="latency"/>: its rounds, or the table's one run.</summary>
    private static IEnumerable<EndToEndResult> RunsOf(RunResults results, string variant, int latency)
    {
        var rounds = results.Rounds.Where(r => r.Variant == variant && r.LatencyMs == latency).ToList();
        return rounds.Count > 0 ? rounds : results.EndToEnd.Where(r => r.Variant == variant && r.LatencyMs == latency);
    }

    private static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToList();
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /// <summary>A median ratio and the rounds' ratios it is the median of.</summary>
    public sealed record Ratio(double Median, IReadOnlyList<double> Each)
    {
        /// <summary>"0.93 [0.88, 0.93, 1.01]", or the one ratio alone.</summary>
        public override string ToString() => Each.Count == 1
            ? Median.ToString("F2", CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{Median:F2} [{string.Join(", ", Each.Select(e => e.ToString("F2", CultureInfo.InvariantCulture)))}]");
    }
}
