using System.Diagnostics;
using System.Runtime;

namespace TaskQueue.Benchmarks.EndToEnd;

/// <summary>
/// Waits for the JIT to go quiet. With tiered compilation a method is compiled again, optimized, on a background thread
/// once it has been called often enough, and that happens in bursts some time after the calls: a measured phase that
/// starts while it goes on is billed for compiling, which says nothing about what a task costs in a running service.
/// </summary>
public static class JitSettling
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    /// <summary>Methods compiled so far, on every thread.</summary>
    public static long MethodsCompiled => JitInfo.GetCompiledMethodCount(currentThread: false);

    /// <summary>
    /// Returns once no method was compiled for <paramref name="quiet"/>, or after <paramref name="limit"/> whatever the JIT
    /// does (a run with a steady trickle of compilations must still end).
    /// </summary>
    public static async Task WaitAsync(TimeSpan quiet, TimeSpan limit, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var count = MethodsCompiled;
        var quietSince = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(quietSince) < quiet && Stopwatch.GetElapsedTime(started) < limit)
        {
            await Task.Delay(Poll, cancellationToken).ConfigureAwait(false);
            var now = MethodsCompiled;
            if (now != count)
            {
                count = now;
                quietSince = Stopwatch.GetTimestamp();
            }
        }
    }
}
