using System.Diagnostics;
using System.Globalization;
using TaskQueue.Benchmarks.Sqs;

namespace TaskQueue.Benchmarks.EndToEnd;

/// <summary>What has been spent up to one moment: time, this process's CPU, the SQS server's CPU, requests, allocations.</summary>
public sealed record Meter(
    long Timestamp, double ClientCpuSeconds, double? ServerCpuSeconds, long Requests, IReadOnlyDictionary<string, long> RequestsByAction, long AllocatedBytes, TimeSpan JitTime, long MethodsCompiled)
{
    /// <summary>The environment variable with the local SQS server's process id, set by <c>tests/benchmarks.sh</c>.</summary>
    public const string ServerPidVariable = "TASKQUEUE_SQS_SERVER_PID";

    /// <summary>Reads the meters now.</summary>
    public static Meter Read(RequestMeter requests)
    {
        ArgumentNullException.ThrowIfNull(requests);
        using var self = Process.GetCurrentProcess();
        return new Meter(
            Stopwatch.GetTimestamp(),
            self.TotalProcessorTime.TotalSeconds,
            ReadServerCpuSeconds(),
            requests.Total,
            requests.ByAction(),
            GC.GetTotalAllocatedBytes(precise: false),
            System.Runtime.JitInfo.GetCompilationTime(currentThread: false),
            System.Runtime.JitInfo.GetCompiledMethodCount(currentThread: false));
    }

    /// <summary>User plus system CPU of the server process, from <c>/proc/&lt;pid&gt;/stat</c>; null when unknown.</summary>
    public static double? ReadServerCpuSeconds()
    {
        if (!int.TryParse(Environment.GetEnvironmentVariable(ServerPidVariable), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid))
        {
            return null;
        }

        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Fields after the command name, which is in parentheses and may hold spaces: state is the first, utime the 12th, stime the 13th.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            var perSecond = int.TryParse(Environment.GetEnvironmentVariable("CLK_TCK"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var tck) ? tck : 100;
            return (double)ticks / perSecond;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>This meter as if nothing had been spent between <paramref name="from"/> and <paramref name="to"/>: a pause between phases left out.</summary>
    public Meter Without(Meter from, Meter to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        return new Meter(
            Timestamp - (to.Timestamp - from.Timestamp),
            ClientCpuSeconds - (to.ClientCpuSeconds - from.ClientCpuSeconds),
            ServerCpuSeconds - (to.ServerCpuSeconds - from.ServerCpuSeconds),
            Requests - (to.Requests - from.Requests),
            RequestsByAction.ToDictionary(a => a.Key, a => a.Value - (to.RequestsByAction.GetValueOrDefault(a.Key) - from.RequestsByAction.GetValueOrDefault(a.Key)), StringComparer.Ordinal),
            AllocatedBytes - (to.AllocatedBytes - from.AllocatedBytes),
            JitTime - (to.JitTime - from.JitTime),
            MethodsCompiled - (to.MethodsCompiled - from.MethodsCompiled));
    }

    /// <summary>What was spent between <paramref name="start"/> and this moment, over <paramref name="tasks"/> tasks.</summary>
    public PhaseFigures Since(Meter start, int tasks)
    {
        ArgumentNullException.ThrowIfNull(start);
        var seconds = Stopwatch.GetElapsedTime(start.Timestamp, Timestamp).TotalSeconds;
        var byAction = RequestsByAction.ToDictionary(
            a => a.Key, a => a.Value - start.RequestsByAction.GetValueOrDefault(a.Key), StringComparer.Ordinal);
        return new PhaseFigures(
            seconds,
            tasks / seconds,
            Requests - start.Requests,
            (double)(Requests - start.Requests) / tasks,
            byAction.Where(a => a.Value > 0).ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal),
            (ClientCpuSeconds - start.ClientCpuSeconds) * 1000 / tasks,
            ServerCpuSeconds - start.ServerCpuSeconds is { } server ? server * 1000 / tasks : null,
            (double)(AllocatedBytes - start.AllocatedBytes) / tasks)
        {
            JitMilliseconds = (JitTime - start.JitTime).TotalMilliseconds,
            MethodsCompiled = MethodsCompiled - start.MethodsCompiled,
        };
    }
}

/// <summary>The figures of one phase (or of the whole run).</summary>
public sealed record PhaseFigures(
    double Seconds,
    double TasksPerSecond,
    long Requests,
    double RequestsPerTask,
    IReadOnlyDictionary<string, long> RequestsByAction,
    double ClientCpuSecondsPer1000,
    double? ServerCpuSecondsPer1000,
    double AllocatedBytesPerTask)
{
    /// <summary>Time the JIT compiler spent in the phase, on any thread (tiering up included).</summary>
    public double JitMilliseconds { get; init; }

    /// <summary>Methods the JIT compiled in the phase (a method tiered up counts again).</summary>
    public long MethodsCompiled { get; init; }
}

/// <summary>The figures of one variant at one latency, from a fresh process.</summary>
public sealed record EndToEndResult(
    string Variant,
    int LatencyMs,
    int Tasks,
    int Lanes,
    PhaseFigures Produce,
    PhaseFigures Consume,
    PhaseFigures Total,
    long TasksDone,
    double PeakWorkingSetMb,
    string Notes,
    LedgerFigures? Ledger = null)
{
    /// <summary>Which round of the harness's run this was (1 for a variant run once).</summary>
    public int Round { get; init; } = 1;
}
