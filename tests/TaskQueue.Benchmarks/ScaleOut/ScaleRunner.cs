using System.Diagnostics;
using System.Globalization;
using System.Text;
using TaskQueue.Benchmarks.EndToEnd;
using TaskQueue.Benchmarks.Report;
using TaskQueue.Benchmarks.Sqs;

namespace TaskQueue.Benchmarks.ScaleOut;

/// <summary>One measured run: so many worker processes on one pre-filled queue.</summary>
public sealed record ScalePoint(
    string Case, int Groups, int Tasks, int Processes, double Seconds, double TasksPerSecond, double WorkerCpuSeconds, double? ServerCpuSeconds, double MachineBusy);

/// <summary>
/// Scale-out (<c>bash tests/benchmarks.sh scale</c>): 1, 2 and 4 worker processes on one queue with the latency added to
/// every SQS call, for many message groups and for few; writes docs/SCALE.md and docs/scale.svg.
/// </summary>
public static class ScaleRunner
{
    /// <summary>Worker processes per run.</summary>
    public static readonly IReadOnlyList<int> ProcessCounts = [1, 2, 4];

    /// <summary>Runs every case and writes the page.</summary>
    public static async Task RunAsync(ScaleOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        using var sdk = SqsEndpoint.CreateClient(new RequestMeter(TimeSpan.Zero));
        var points = new List<ScalePoint>();
        foreach (var (name, groups, tasks) in new[] { ("many groups", options.ManyGroups, options.ManyTasks), ("few groups", options.FewGroups, options.FewTasks) })
        {
            foreach (var processes in ProcessCounts)
            {
                Console.Error.WriteLine($"scale: {name}: {tasks} tasks in {groups} groups, {processes} worker process(es), {options.LatencyMs} ms a call");
                var point = await MeasureAsync(sdk, name, groups, tasks, processes, options, cancellationToken).ConfigureAwait(false);
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"scale:   {point.TasksPerSecond:N0} tasks/s in {point.Seconds:F2} s, machine {point.MachineBusy:P0} busy"));
                points.Add(point);
            }
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(options.Output))!);
        var svgPath = Path.ChangeExtension(options.Output, ".svg");
        File.WriteAllText(svgPath, SvgChart.Render(
            $"Worker processes on one queue, {options.LatencyMs} ms a call",
            "worker processes",
            "tasks/s",
            [.. points.GroupBy(p => p.Case).Select(g => new ChartSeries($"{g.First().Groups:N0} groups", [.. g.Select(p => ((double)p.Processes, p.TasksPerSecond))])),
             .. points.GroupBy(p => p.Case).Take(1).Select(g => new ChartSeries("linear", [.. ProcessCounts.Select(n => ((double)n, g.First().TasksPerSecond * n))], Dashed: true))]));
        GeneratedPage.Write(options.Output, "Scale-out", "bash tests/benchmarks.sh scale", Render(points, options, started, clock.Elapsed, Path.GetFileName(svgPath)));
        Console.Error.WriteLine($"scale: wrote {options.Output} and {svgPath}");
    }

    private static async Task<ScalePoint> MeasureAsync(
        Amazon.SQS.AmazonSQSClient sdk, string name, int groups, int tasks, int processes, ScaleOptions options, CancellationToken cancellationToken)
    {
        var queueUrl = await SqsEndpoint.CreateFifoQueueAsync(sdk, "scale", cancellationToken).ConfigureAwait(false);
        try
        {
            await QueueFiller.FillAsync(sdk, queueUrl, tasks, groups, 8, cancellationToken).ConfigureAwait(false);
            await using var pool = await WorkerPool.StartAsync(sdk, queueUrl, processes, options.LatencyMs, options.Concurrency, options.Pollers, cancellationToken).ConfigureAwait(false);
            var cpuBefore = pool.Workers.Sum(w => w.CpuSeconds);
            var serverBefore = Meter.ReadServerCpuSeconds();
            var machineBefore = ProcStats.MachineCpu();
            var start = Stopwatch.GetTimestamp();
            await pool.GoAsync().ConfigureAwait(false);
            while (pool.Done < tasks)
            {
                if (Stopwatch.GetElapsedTime(start) > TimeSpan.FromMinutes(5))
                {
                    throw new TimeoutException($"{pool.Done} of {tasks} tasks done after 5 minutes");
                }

                await Task.Delay(20, cancellationToken).ConfigureAwait(false);
            }

            var end = pool.Workers.Max(w => w.LastMoved);
            var machineAfter = ProcStats.MachineCpu();
            var serverAfter = Meter.ReadServerCpuSeconds();
            var cpuAfter = pool.Workers.Sum(w => w.CpuSeconds);
            await pool.StopAsync().ConfigureAwait(false);
            var seconds = Stopwatch.GetElapsedTime(start, end).TotalSeconds;
            return new ScalePoint(name, groups, tasks, processes, seconds, tasks / seconds, cpuAfter - cpuBefore, serverAfter - serverBefore,
                ProcStats.BusyShare(machineBefore, machineAfter));
        }
        finally
        {
            await sdk.DeleteQueueAsync(queueUrl, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static string Render(IReadOnlyList<ScalePoint> points, ScaleOptions options, DateTimeOffset started, TimeSpan took, string svgName)
    {
        var machine = MachineInfo.Read();
        var md = new StringBuilder();
        md.Append(F($"Measured {started:yyyy-MM-dd HH:mm} UTC by `bash tests/benchmarks.sh scale` in {took.TotalMinutes:F1} min, on {machine.Cores} cores ({machine.Cpu}), {machine.Runtime}, {machine.Server} on loopback sharing the cores with the workers (and with whatever else the machine was running).\n\n"));
        md.Append(F($"Each worker process: `TaskQueueWorker` over AWSSDK.SQS, a no-op handler, MaxConcurrentTasks={options.Concurrency}, PollerCount={options.Pollers}, ReceiveWaitTime=2 s, other options default; {options.LatencyMs} ms added before every SQS call (the benchmarks' `RequestMeter`). The queue is filled first (not timed); each process drains its own warm-up queue of {WorkerPool.WarmUpTasks} tasks, refilled for up to 4 rounds until a round compiles fewer than 50 methods, the JIT quiet for 0.5 s after each, before all are released together. Timed from the release (the first receives go out then) to the last delete's success, as each worker reports it (sampled every 20 ms).\n\n"));
        md.Append("| case | tasks | processes | seconds | tasks/s | vs 1 process | worker CPU s per 1,000 tasks | server CPU s per 1,000 tasks | machine busy (all cores) |\n");
        md.Append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        foreach (var p in points)
        {
            var one = points.First(o => o.Case == p.Case && o.Processes == 1);
            md.Append(F($"| {p.Groups:N0} groups | {p.Tasks:N0} | {p.Processes} | {p.Seconds:F2} | {p.TasksPerSecond:N0} | {p.TasksPerSecond / one.TasksPerSecond:F2} × | {p.WorkerCpuSeconds * 1000 / p.Tasks:F2} | {(p.ServerCpuSeconds is { } s ? (s * 1000 / p.Tasks).ToString("F2", CultureInfo.InvariantCulture) : "n/a")} | {p.MachineBusy:P0} |\n"));
        }

        md.Append(F($"\n![tasks/s against worker processes]({svgName})\n\n"));
        var many = points.Where(p => p.Case == "many groups").ToList();
        var atFour = many.First(p => p.Processes == 4).TasksPerSecond / many.First(p => p.Processes == 1).TasksPerSecond;
        md.Append(F($"| target | measured | met |\n| --- | --- | --- |\n| ≥ 3.6 × one process's throughput with 4 processes, many groups | {atFour:F2} × | {(atFour >= 3.6 ? "yes" : "**no**")} |\n"));
        return md.ToString();
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The scale-out command's options.</summary>
public sealed record ScaleOptions(int LatencyMs, int ManyGroups, int ManyTasks, int FewGroups, int FewTasks, int Concurrency, int Pollers, string Output);
