using System.Globalization;
using System.Text;
using TaskQueue.Benchmarks.EndToEnd;
using static TaskQueue.Benchmarks.Report.ReportWriter;

namespace TaskQueue.Benchmarks.Report;

/// <summary>
/// The report's targets, each checked against this run. A ratio between two end-to-end variants is read in every
/// round both ran in (the rounds run one after another, each variant once in each, so a round's two figures share the
/// machine's state), and the verdict is the median of those ratios: on shared cores one run of each moves by more
/// than a target's margin.
/// </summary>
internal static class TargetsSection
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static void Render(StringBuilder md, RunResults results)
    {
        md.AppendLine("## Targets, computed from this run");
        md.AppendLine();
        md.AppendLine(Invariant,
            $"A ratio between two variants is the median of the ratios of the {results.RoundCount} rounds (each round runs every compared variant once, one after another); the rounds' ratios follow it in square brackets. Process phase unless said.");
        md.AppendLine();
        md.AppendLine("| target | measured | met |");
        md.AppendLine("| --- | --- | --- |");
        foreach (var latency in results.EndToEnd.Select(r => r.LatencyMs).Distinct().Order())
        {
            RenderEndToEnd(md, results, latency);
        }

        if (results.FanOut is { } fan)
        {
            var ratio = fan.ManyGroups.SecondsToLastHandled / fan.ManyGroups.IdealSeconds;
            md.AppendLine(Invariant, $"| 40 tasks × 100 ms in 40 groups, 10 at once, within 1.2 × 0.4 s | {fan.ManyGroups.SecondsToLastHandled:F2} s ({ratio:F2} ×) | {Verdict(ratio <= 1.2)} |");
            var one = fan.OneGroup;
            md.AppendLine(Invariant, $"| the same in one group take ≥ 4 s, in order | {one.SecondsToLastHandled:F2} s, {(one.InEnqueueOrder ? "in order" : "OUT OF ORDER")}, at most {one.MaxRunningAtOnce} at once | {Verdict(one.SecondsToLastHandled >= 4 && one.InEnqueueOrder && one.MaxRunningAtOnce == 1)} |");
        }

        foreach (var r in results.Micro.Where(r => r.Benchmark != "ParseBody"))
        {
            var met = r.MeanMicroseconds < 10 && r.AllocatedBytes < 2048;
            md.AppendLine(Invariant,
                $"| {r.Benchmark}: < 10 µs and < 2 KB allocated per task | {Num(r.MeanMicroseconds, "F2")} µs, {r.AllocatedBytes?.ToString("N0", Invariant) ?? "n/a"} B | {Verdict(met)} |");
        }

        md.AppendLine();
    }

    private static void RenderEndToEnd(StringBuilder md, RunResults results, int latency)
    {
        var where = latency == 0 ? "on loopback" : string.Create(Invariant, $"at {latency} ms");
        var ratios = new RoundRatios(results, latency);
        var byVariant = results.EndToEnd.Where(r => r.LatencyMs == latency).ToDictionary(r => r.Variant);
        if (ratios.Of("library", "sdk-pipelined", r => r.Total.TasksPerSecond) is { } throughput)
        {
            var process = ratios.Of("library", "sdk-pipelined", r => r.Consume.TasksPerSecond)!;
            md.AppendLine(Invariant, $"| (a) ≥ 0.95 × (b) throughput end to end {where} | {throughput} (process phase {process}) | {Verdict(throughput.Median >= 0.95)} |");
            var cpu = ratios.Of("library", "sdk-pipelined", r => r.Consume.ClientCpuSecondsPer1000)!;
            md.AppendLine(Invariant, $"| (a) ≤ 1.1 × (b) CPU per task {where} | {cpu} ({ratios.MedianOf("library", r => r.Consume.ClientCpuSecondsPer1000):F3} vs {ratios.MedianOf("sdk-pipelined", r => r.Consume.ClientCpuSecondsPer1000):F3} ms, the medians) | {Verdict(cpu.Median <= 1.1)} |");
            var allocated = ratios.Of("library", "sdk-pipelined", r => r.Consume.AllocatedBytesPerTask)!;
            md.AppendLine(Invariant, $"| (a) ≤ 1.1 × (b) allocated per task {where} | {allocated} ({ratios.MedianOf("library", r => r.Consume.AllocatedBytesPerTask):N0} vs {ratios.MedianOf("sdk-pipelined", r => r.Consume.AllocatedBytesPerTask):N0} B) | {Verdict(allocated.Median <= 1.1)} |");
        }

        if (ratios.Of("sdk-pipelined+attributes", "sdk-pipelined", r => r.Consume.AllocatedBytesPerTask) is { } asking)
        {
            var left = (1.1 * ratios.MedianOf("sdk-pipelined", r => r.Consume.AllocatedBytesPerTask))
                - ratios.MedianOf("sdk-pipelined+attributes", r => r.Consume.AllocatedBytesPerTask);
            md.AppendLine(Invariant,
                $"| (not a target) what asking for the worker's attributes alone costs {where}: (b+a) against (b) | allocated {asking}, which leaves {left:N0} B a task under 1.1 × (b) for reading the task and all a worker keeps for it; CPU {ratios.Of("sdk-pipelined+attributes", "sdk-pipelined", r => r.Consume.ClientCpuSecondsPer1000)} | n/a |");
        }

        if (ratios.Of("library", "sdk-pipelined+read", r => r.Consume.ClientCpuSecondsPer1000) is { } readCpu)
        {
            md.AppendLine(Invariant,
                $"| (not a target) (a) against (b+), the loop that reads each task, {where} | CPU {readCpu}, allocated {ratios.Of("library", "sdk-pipelined+read", r => r.Consume.AllocatedBytesPerTask)}, throughput {ratios.Of("library", "sdk-pipelined+read", r => r.Consume.TasksPerSecond)} | n/a |");
        }

        if (ratios.Of("library", "sdk-batch", r => r.Total.TasksPerSecond) is { } sequential)
        {
            md.AppendLine(Invariant,
                $"| (a) ≥ 0.95 × (b') (the sequential loop) throughput end to end {where} | {sequential} (process phase {ratios.Of("library", "sdk-batch", r => r.Consume.TasksPerSecond)}) | {Verdict(sequential.Median >= 0.95)} |");
        }

        if (byVariant.TryGetValue("library", out var lib))
        {
            md.AppendLine(Invariant,
                $"| (a) ≤ 0.35 SQS requests per task {where} | {lib.Total.RequestsPerTask:F3} (send {lib.Produce.RequestsPerTask:F3} + process {lib.Consume.RequestsPerTask:F3}) | {Verdict(lib.Total.RequestsPerTask <= 0.35)} |");
            if (latency > 0 && byVariant.TryGetValue("reference", out var c))
            {
                var ratio = lib.Total.TasksPerSecond / c.Total.TasksPerSecond;
                md.AppendLine(Invariant, $"| (a) ≥ 10 × (c) throughput {where} | {ratio:F1} ({lib.Total.TasksPerSecond:N0} vs {c.Total.TasksPerSecond:N0} tasks/s) | {Verdict(ratio >= 10)} |");
            }
        }
    }
}
