using System.Diagnostics;

namespace TaskQueue.Benchmarks.EndToEnd;

/// <summary>Counts tasks done (deleted after success) and notes the moment the last one of the workload was.</summary>
public sealed class DoneCounter(int target)
{
    private readonly TaskCompletionSource<long> _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _done;

    /// <summary>Tasks done so far.</summary>
    public long Done => Interlocked.Read(ref _done);

    /// <summary>Completes with the <see cref="Stopwatch"/> timestamp at which the target was reached.</summary>
    public Task<long> Reached => _reached.Task;

    /// <summary>Adds tasks done.</summary>
    public void Add(int count)
    {
        if (count > 0 && Interlocked.Add(ref _done, count) >= target)
        {
            _reached.TrySetResult(Stopwatch.GetTimestamp());
        }
    }
}
