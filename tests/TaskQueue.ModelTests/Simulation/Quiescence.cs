using System.Diagnostics;

namespace TaskQueue.ModelTests.Simulation;

/// <summary>
/// Waits until nothing runs: no thread-pool thread is working and no work item is queued, twice in a row with no work
/// item completed in between. Everything in a scenario waits on fake time or on a signal that only a running thread
/// can give, so once the pool is idle the scenario is parked and the clock may move. The driver runs on a thread of
/// its own, outside the pool, and the suite runs one scenario at a time. Pool threads the test host keeps blocked
/// for the whole run are measured once, before any scenario, and not counted as work.
/// </summary>
public static class Quiescence
{
    private static int _hostThreads = int.MaxValue;

    /// <summary>Measures the pool threads the host holds while nothing of a scenario runs.</summary>
    public static void Calibrate()
    {
        for (var i = 0; i < 50; i++)
        {
            _hostThreads = Math.Min(_hostThreads, BusyThreads());
            Thread.Sleep(1);
        }
    }

    /// <summary>Waits for quiet; false when the pool stayed busy for <paramref name="limit"/> of real time.</summary>
    public static bool Wait(TimeSpan limit)
    {
        var watch = Stopwatch.StartNew();
        var lastCompleted = -1L;
        var quietChecks = 0;
        var spinner = default(SpinWait);
        while (watch.Elapsed < limit)
        {
            var completed = ThreadPool.CompletedWorkItemCount;
            var busy = BusyThreads();
            _hostThreads = Math.Min(_hostThreads, busy);
            if (busy <= _hostThreads && ThreadPool.PendingWorkItemCount == 0 && completed == lastCompleted)
            {
                if (++quietChecks >= 2)
                {
                    return true;
                }
            }
            else
            {
                quietChecks = 0;
            }

            lastCompleted = completed;
            spinner.SpinOnce(sleep1Threshold: -1);
        }

        return false;
    }

    private static int BusyThreads()
    {
        ThreadPool.GetMaxThreads(out var max, out _);
        ThreadPool.GetAvailableThreads(out var available, out _);
        return max - available;
    }
}
