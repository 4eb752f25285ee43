using System.Diagnostics;
using System.Globalization;
using System.Text;
using TaskQueue.Benchmarks.EndToEnd;
using TaskQueue.Benchmarks.Report;
using TaskQueue.Benchmarks.Sqs;

namespace TaskQueue.Benchmarks.ScaleOut;

/// <summary>One sample of the soak: tasks done, the rate over the window before it, and resident memory.</summary>
public sealed record SoakSample(double Seconds, long Done, double WindowTasksPerSecond, IReadOnlyList<double?> WorkerRssMiB, double? ServerRssMiB);

/// <summary>The soak command's options.</summary>
public sealed record SoakOptions(int Tasks, int Workers, int LatencyMs, int Groups, int SampleSeconds, int MaxMinutes, int Concurrency, int Pollers, string Output);

/// <summary>
/// Soak (<c>bash tests/benchmarks.sh soak</c>): a pre-filled queue drained by worker processes, sampled every few seconds
/// for throughput and each process's resident memory (and the server's); writes docs/SOAK.md and its two SVG plots.
/// </summary>
public static class SoakRunner
{
    /// <summary>Runs the soak and writes the page.</summary>
    public static async Task RunAsync(SoakOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var started = DateTimeOffset.UtcNow;
        using var sdk = SqsEndpoint.CreateClient(new RequestMeter(TimeSpan.Zero));
        var queueUrl = await SqsEndpoint.CreateFifoQueueAsync(sdk, "soak", cancellationToken).ConfigureAwait(false);
        try
        {
            Console.Error.WriteLine($"soak: enqueueing {options.Tasks:N0} tasks in {options.Groups:N0} groups");
            var filling = Stopwatch.StartNew();
            await QueueFiller.FillAsync(sdk, queueUrl, options.Tasks, options.Groups, 8, cancellationToken).ConfigureAwait(false);
            var fillSeconds = filling.Elapsed.TotalSeconds;
            var serverRssFilled = ServerRss();
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"soak: enqueued in {fillSeconds:F0} s ({options.Tasks / fillSeconds:N0} tasks/s)"));

            await using var pool = await WorkerPool.StartAsync(sdk, queueUrl, options.Workers, options.LatencyMs, options.Concurrency, options.Pollers, cancellationToken).ConfigureAwait(false);
            var samples = new List<SoakSample>();
            var start = Stopwatch.GetTimestamp();
            await pool.GoAsync().ConfigureAwait(false);
            var limit = TimeSpan.FromMinutes(options.MaxMinutes);
            long previousDone = 0;
            var previous = start;
            while (pool.Done < options.Tasks && Stopwatch.GetElapsedTime(start) < limit)
            {
                await Task.Delay(TimeSpan.FromSeconds(options.SampleSeconds), cancellationToken).ConfigureAwait(false);
                var now = Stopwatch.GetTimestamp();
                var done = pool.Done;
                var sample = new SoakSample(
                    Stopwatch.GetElapsedTime(start, now).TotalSeconds,
                    done,
                    (done - previousDone) / Stopwatch.GetElapsedTime(previous, now).TotalSeconds,
                    [.. pool.Workers.Select(w => ProcStats.RssMiB(w.Id))],
                    ServerRss());
                samples.Add(sample);
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"soak: {sample.Seconds:F0} s: {done:N0} done, {sample.WindowTasksPerSecond:N0} tasks/s, workers {string.Join(" / ", sample.WorkerRssMiB.Select(r => $"{r:F0}"))} MiB, server {sample.ServerRssMiB:F0} MiB"));
                (previousDone, previous) = (done, now);
            }

            var finished = pool.Done;
            var handled = pool.Workers.Sum(w => w.Handled);
            var end = pool.Workers.Max(w => w.LastMoved);
            await pool.StopAsync().ConfigureAwait(false);
            var seconds = Stopwatch.GetElapsedTime(start, end).TotalSeconds;
            WritePage(options, started, samples, finished, handled, seconds, fillSeconds, serverRssFilled);
        }
        finally
        {
            await sdk.DeleteQueueAsync(queueUrl, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static double? ServerRss() =>
        int.TryParse(Environment.GetEnvironmentVariable(Meter.ServerPidVariable), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid) ? ProcStats.RssMiB(pid) : null;

    private static void WritePage(SoakOptions options, DateTimeOffset started, IReadOnlyList<SoakSample> samples, long done, long handled, double seconds, double fillSeconds, double? serverRssFilled)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(options.Output))!);
        var throughputSvg = Path.ChangeExtension(options.Output, null) + "-throughput.svg";
        var memorySvg = Path.ChangeExtension(options.Output, null) + "-rss.svg";
        File.WriteAllText(throughputSvg, SvgChart.Render("Soak: throughput over the last window", "seconds", "tasks/s",
            [new ChartSeries(F($"{options.Workers} workers"), [.. samples.Select(s => (s.Seconds, s.WindowTasksPerSecond))])]));
        File.WriteAllText(memorySvg, SvgChart.Render("Soak: resident memory", "seconds", "MiB",
            [.. Enumerable.Range(0, options.Workers).Select(i => new ChartSeries(F($"worker {i + 1}"), [.. samples.Select(s => (s.Seconds, s.WorkerRssMiB[i] ?? 0))])),
             new ChartSeries("fauxqs (server)", [.. samples.Select(s => (s.Seconds, s.ServerRssMiB ?? 0))], Dashed: true)]));

        var machine = MachineInfo.Read();
        var md = new StringBuilder();
        md.Append(F($"Measured {started:yyyy-MM-dd HH:mm} UTC by `bash tests/benchmarks.sh soak`, on {machine.Cores} cores ({machine.Cpu}), {machine.Runtime}, {machine.Server} on loopback sharing the cores with the workers.\n\n"));
        md.Append(F($"{done:N0} of {options.Tasks:N0} tasks ({options.Groups:N0} message groups) processed by {options.Workers} worker processes in {seconds:F1} s: **{done / seconds:N0} tasks/s** on average"));
        md.Append(done < options.Tasks ? F($" (stopped at the {options.MaxMinutes}-minute limit: not all tasks were processed).") : ".");
        md.Append(F($" Handler calls in the measured run: {handled:N0}; deletes that succeeded: {done:N0}.\n\n"));
        md.Append(F($"Each worker process: `TaskQueueWorker` over AWSSDK.SQS, a no-op handler, MaxConcurrentTasks={options.Concurrency}, PollerCount={options.Pollers}, ReceiveWaitTime=2 s, {options.LatencyMs} ms added a call. The queue was filled first through `EnqueueTasksAsync` (8 calls of 10 at once) in {fillSeconds:F0} s ({options.Tasks / fillSeconds:N0} tasks/s, not part of the rate above); fauxqs held {serverRssFilled:F0} MiB resident once filled. Sampled every {options.SampleSeconds} s: RSS is VmRSS of /proc/<pid>/status.\n\n"));

        var steady = samples.Where(s => s.Done < options.Tasks).ToList();
        var quarter = Math.Max(1, steady.Count / 4);
        if (steady.Count >= 8)
        {
            // The first quarter after a warm-up sample against the last quarter of the samples in which work was left.
            var first = steady.Skip(1).Take(quarter).ToList();
            var last = steady.TakeLast(quarter).ToList();
            md.Append("| measure | first quarter (after the first sample) | last quarter | last / first |\n| --- | ---: | ---: | ---: |\n");
            var rate = (first.Average(s => s.WindowTasksPerSecond), last.Average(s => s.WindowTasksPerSecond));
            md.Append(F($"| tasks/s | {rate.Item1:N0} | {rate.Item2:N0} | {rate.Item2 / rate.Item1:F2} |\n"));
            for (var i = 0; i < options.Workers; i++)
            {
                var rss = (first.Average(s => s.WorkerRssMiB[i] ?? 0), last.Average(s => s.WorkerRssMiB[i] ?? 0));
                md.Append(F($"| worker {i + 1} RSS, MiB | {rss.Item1:F0} | {rss.Item2:F0} | {rss.Item2 / rss.Item1:F2} |\n"));
            }

            var server = (first.Average(s => s.ServerRssMiB ?? 0), last.Average(s => s.ServerRssMiB ?? 0));
            md.Append(F($"| fauxqs RSS, MiB | {server.Item1:F0} | {server.Item2:F0} | {server.Item2 / server.Item1:F2} |\n\n"));
        }

        md.Append(F($"![throughput over time]({Path.GetFileName(throughputSvg)})\n\n![resident memory over time]({Path.GetFileName(memorySvg)})\n\n"));
        md.Append("| seconds | tasks done | tasks/s (window) | " + string.Join(" | ", Enumerable.Range(1, options.Workers).Select(i => F($"worker {i} RSS MiB"))) + " | fauxqs RSS MiB |\n");
        md.Append("| ---: | ---: | ---: | " + string.Concat(Enumerable.Repeat("---: | ", options.Workers)) + "---: |\n");
        foreach (var s in samples)
        {
            md.Append(F($"| {s.Seconds:F0} | {s.Done:N0} | {s.WindowTasksPerSecond:N0} | ") + string.Join(" | ", s.WorkerRssMiB.Select(r => F($"{r:F0}"))) + F($" | {s.ServerRssMiB:F0} |\n"));
        }

        GeneratedPage.Write(options.Output, "Soak", "bash tests/benchmarks.sh soak", md.ToString());
        Console.Error.WriteLine($"soak: wrote {options.Output}, {throughputSvg} and {memorySvg}");
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
