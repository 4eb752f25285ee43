using System.Globalization;

namespace TaskQueue.Benchmarks.ScaleOut;

/// <summary>What <c>/proc</c> says about a process's memory and about the whole machine's CPU.</summary>
public static class ProcStats
{
    /// <summary>The resident set (<c>VmRSS</c> of <c>/proc/&lt;pid&gt;/status</c>) in MiB; null once the process is gone.</summary>
    public static double? RssMiB(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? null : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>The machine's CPU jiffies so far (first line of <c>/proc/stat</c>): busy (all but idle and iowait) and total.</summary>
    public static (long Busy, long Total) MachineCpu()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..]
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToList();
        var total = fields.Take(8).Sum();
        return (total - fields[3] - fields[4], total);
    }

    /// <summary>The share of all cores busy between two <see cref="MachineCpu"/> readings, 0 to 1.</summary>
    public static double BusyShare((long Busy, long Total) from, (long Busy, long Total) to) =>
        to.Total > from.Total ? (double)(to.Busy - from.Busy) / (to.Total - from.Total) : 0;
}
