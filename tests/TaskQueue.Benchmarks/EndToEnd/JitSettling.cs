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

    /// <summary>How long the JIT must stay quiet before a measured phase starts, and the longest wait for it.</summary>
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(10);

    /// <summary>Most warm-up rounds; fewer when a round leaves the JIT next to nothing new to compile.</summary>
    private const int MaxWarmUpRounds = 4;

    /// <summary>A warm-up round that compiles fewer methods than this leaves nothing that matters to the measured run.</summary>
    private const int SettledMethods = 50;

    /// <summary>Methods compiled so far, on every thread.</summary>
    public static long MethodsCompiled => JitInfo.GetCompiledMethodCount(currentThread: false);

    /// <summary>
    /// Runs warm-up rounds, each followed by the JIT going quiet, until one (the second or later: the first compiles
    /// start-up) compiles fewer than 50 methods, at most 4. One round is not enough: tiered compilation counts calls only
    /// once start-up compiling has paused, then optimizes hot methods in the background.
    /// </summary>
    /// <param name="round">Runs round n (from 0).</param>
    /// <param name="cancellationToken">Stops the warm-up.</param>
    public static async Task WarmUpAsync(Func<int, Task> round, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(round);
        for (var n = 0; n < MaxWarmUpRounds; n++)
        {
            var before = MethodsCompiled;
            await round(n).ConfigureAwait(false);
            await WaitAsync(cancellationToken).ConfigureAwait(false);
            if (n > 0 && MethodsCompiled - before < SettledMethods)
            {
                return;
            }
        }
    }

    /// <summary>Returns once no method was compiled for 0.5 s, or after 10 s whatever the JIT does.</summary>
    public static Task WaitAsync(CancellationToken cancellationToken) => WaitAsync(Quiet, WaitLimit, cancellationToken);

    /// <summary>
    /// Returns once no method was compiled for <paramref name="quiet"/>, or after <paramref name="limit"/> whatever the JIT
    /// does (a run with a steady trickle of compilations must still end).
    /// </summary>
    private static async Task WaitAsync(TimeSpan quiet, TimeSpan limit, CancellationToken cancellationToken)
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
