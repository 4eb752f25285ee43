using System.Globalization;
using System.Runtime.InteropServices;

namespace TaskQueue.Benchmarks.Report;

/// <summary>The machine a run was on, as the report states it.</summary>
public sealed record MachineInfo(int Cores, string Cpu, string Memory, string OperatingSystem, string Runtime, string Sdk, string Server)
{
    /// <summary>Reads it from <c>/proc</c>, <c>/etc/os-release</c>, the runtime and what <c>tests/benchmarks.sh</c> passes.</summary>
    public static MachineInfo Read() => new(
        Environment.ProcessorCount,
        FirstValue("/proc/cpuinfo", "model name", ':') ?? RuntimeInformation.ProcessArchitecture.ToString(),
        FirstValue("/proc/meminfo", "MemTotal", ':') is { } kb && long.TryParse(kb.Split(' ')[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var total)
            ? string.Create(CultureInfo.InvariantCulture, $"{total / 1048576.0:F1} GiB")
            : "unknown",
        FirstValue("/etc/os-release", "PRETTY_NAME", '=')?.Trim('"') ?? RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription,
        Environment.GetEnvironmentVariable("BENCH_DOTNET_SDK") ?? "unknown",
        Environment.GetEnvironmentVariable("BENCH_SQS_SERVER") ?? "unknown");

    private static string? FirstValue(string path, string key, char separator)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        return File.ReadLines(path)
            .Where(line => line.StartsWith(key, StringComparison.Ordinal))
            .Select(line => line[(line.IndexOf(separator, StringComparison.Ordinal) + 1)..].Trim())
            .FirstOrDefault();
    }
}
