using System.Globalization;

namespace TaskQueue.Benchmarks.ScaleOut;

/// <summary>What one worker process of the scale-out and soak runs is told on its command line.</summary>
/// <param name="WarmUpQueueUrl">Its own warm-up queue, holding <paramref name="WarmUpTasks"/> tasks.</param>
/// <param name="WarmUpTasks">How many tasks it drains before it says it is ready.</param>
/// <param name="QueueUrl">The measured queue, shared by every worker process.</param>
/// <param name="LatencyMs">Added before every SQS call.</param>
/// <param name="Concurrency"><c>MaxConcurrentTasks</c>.</param>
/// <param name="Pollers"><c>PollerCount</c>.</param>
public sealed record WorkerSettings(string WarmUpQueueUrl, int WarmUpTasks, string QueueUrl, int LatencyMs, int Concurrency, int Pollers)
{
    /// <summary>The arguments after the <c>scale-worker</c> command.</summary>
    public IReadOnlyList<string> ToArguments() =>
        [WarmUpQueueUrl, Str(WarmUpTasks), QueueUrl, Str(LatencyMs), Str(Concurrency), Str(Pollers)];

    /// <summary>Reads what <see cref="ToArguments"/> wrote.</summary>
    public static WorkerSettings Parse(IReadOnlyList<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        return new(arguments[0], Int(arguments[1]), arguments[2], Int(arguments[3]), Int(arguments[4]), Int(arguments[5]));
    }

    private static string Str(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static int Int(string text) => int.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture);
}
