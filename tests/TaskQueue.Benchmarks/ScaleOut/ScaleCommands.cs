using System.Globalization;

namespace TaskQueue.Benchmarks.ScaleOut;

/// <summary>
/// The scale-out commands of the benchmark program:
/// <c>scale [--latency 15] [--many-groups 1000] [--many-tasks 6000] [--few-groups 4] [--few-tasks 800] [--concurrency 10] [--pollers 1] [--out docs/SCALE.md]</c>,
/// <c>soak [--tasks 1000000] [--workers 2] [--latency 0] [--groups 10000] [--sample 5] [--max-minutes 10] [--concurrency 20] [--pollers 2] [--out docs/SOAK.md]</c>
/// and <c>scale-worker</c>, the worker process both start.
/// </summary>
public static class ScaleCommands
{
    /// <summary>Runs <paramref name="command"/> with its options.</summary>
    public static async Task<int> RunAsync(string command, string[] options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        switch (command)
        {
            case "scale":
                await ScaleRunner.RunAsync(
                    new ScaleOptions(
                        Int(options, "--latency", 15),
                        Int(options, "--many-groups", 1000),
                        Int(options, "--many-tasks", 6000),
                        Int(options, "--few-groups", 4),
                        Int(options, "--few-tasks", 800),
                        Int(options, "--concurrency", 10),
                        Int(options, "--pollers", 1),
                        Option(options, "--out") ?? "docs/SCALE.md"),
                    cancellationToken).ConfigureAwait(false);
                return 0;
            case "soak":
                await SoakRunner.RunAsync(
                    new SoakOptions(
                        Int(options, "--tasks", 1_000_000),
                        Int(options, "--workers", 2),
                        Int(options, "--latency", 0),
                        Int(options, "--groups", 10_000),
                        Int(options, "--sample", 5),
                        Int(options, "--max-minutes", 10),
                        Int(options, "--concurrency", 20),
                        Int(options, "--pollers", 2),
                        Option(options, "--out") ?? "docs/SOAK.md"),
                    cancellationToken).ConfigureAwait(false);
                return 0;
            default:
                await ScaleWorker.RunAsync(WorkerSettings.Parse(options), cancellationToken).ConfigureAwait(false);
                return 0;
        }
    }

    private static string? Option(string[] options, string name)
    {
        var at = Array.IndexOf(options, name);
        return at >= 0 && at + 1 < options.Length ? options[at + 1] : null;
    }

    private static int Int(string[] options, string name, int fallback) =>
        Option(options, name) is { } text ? int.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture) : fallback;
}
