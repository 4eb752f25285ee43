namespace TaskQueue;

/// <summary>
/// How long a failed task waits before it is tried again: its visibility timeout is set to
/// <c>InitialDelay × Multiplier^(receiveCount − 1)</c>, at most <see cref="MaxDelay"/>, spread by <see cref="Jitter"/>,
/// so a failing task does not spin through its receives; the queue's redrive policy moves it to the DLQ after maxReceiveCount.
/// </summary>
public sealed class RetryBackoffOptions
{
    /// <summary>When false, a failed task keeps the visibility timeout it was received with. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Delay after the first failure, 0 to 12 hours in whole seconds. Default 5 seconds.</summary>
    public TimeSpan InitialDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Growth per further failure, 1 to 10. Default 2.</summary>
    public double Multiplier { get; set; } = 2;

    /// <summary>Longest delay, up to 12 hours in whole seconds. Default 15 minutes.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// How the delay is spread: by default anywhere from 0 to the exponential delay (<see cref="BackoffJitter.Full"/>),
    /// so tasks that failed together do not all come back at once.
    /// </summary>
    public BackoffJitter Jitter { get; set; } = BackoffJitter.Full;

    /// <summary>Draws a number in [0, 1) for the jitter; replaced by tests to make it deterministic.</summary>
    internal Func<double> NextRandom { get; set; } = Random.Shared.NextDouble;

    /// <summary>The exponential delay, before jitter, before the next attempt of a task that has been received <paramref name="receiveCount"/> times.</summary>
    /// <param name="receiveCount">Receives so far, the failed one included (1 after the first failure).</param>
    /// <returns>The visibility timeout to set, in whole seconds.</returns>
    public TimeSpan DelayFor(int receiveCount)
    {
        var exponent = Math.Max(0, receiveCount - 1);
        var seconds = InitialDelay.TotalSeconds * Math.Pow(Multiplier, exponent);
        var capped = Math.Min(seconds, MaxDelay.TotalSeconds);
        return TimeSpan.FromSeconds(Math.Ceiling(double.IsFinite(capped) ? capped : MaxDelay.TotalSeconds));
    }

    /// <summary>The delay to wait before the next attempt: <see cref="DelayFor"/> spread by <see cref="Jitter"/>, in whole seconds.</summary>
    internal TimeSpan JitteredDelayFor(int receiveCount)
    {
        var seconds = DelayFor(receiveCount).TotalSeconds;
        var spread = Jitter switch
        {
            BackoffJitter.Full => seconds * NextRandom(),
            BackoffJitter.Equal => (seconds / 2) + (seconds / 2 * NextRandom()),
            _ => seconds,
        };
        return TimeSpan.FromSeconds(Math.Ceiling(spread));
    }
}
