using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace TaskQueue.Benchmarks.Micro;

/// <summary>Runs <see cref="PerTaskBenchmarks"/> with BenchmarkDotNet: a short run, in process (no extra build), with the memory diagnoser.</summary>
public static class MicroRunner
{
    /// <summary>Runs the benchmarks; BenchmarkDotNet's artifacts go to <paramref name="artifactsPath"/>.</summary>
    public static IReadOnlyList<MicroResult> Run(string artifactsPath)
    {
        var config = ManualConfig.CreateEmpty()
            .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .AddLogger(ConsoleLogger.Default)
            .WithArtifactsPath(artifactsPath);
        var summary = BenchmarkRunner.Run<PerTaskBenchmarks>(config);
        return [.. summary.Reports.Select(report => new MicroResult(
            report.BenchmarkCase.Descriptor.WorkloadMethod.Name,
            report.ResultStatistics?.Mean / 1000,
            report.ResultStatistics?.StandardDeviation / 1000,
            report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase)))];
    }
}

/// <summary>One benchmark's figures per operation (per task).</summary>
public sealed record MicroResult(string Benchmark, double? MeanMicroseconds, double? StdDevMicroseconds, long? AllocatedBytes);
