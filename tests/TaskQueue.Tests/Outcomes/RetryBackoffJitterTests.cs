using FluentAssertions;

namespace TaskQueue.Tests.Outcomes;

/// <summary>The backoff's jitter spreads retries within its bounds; a drawn number makes each delay exact.</summary>
public class RetryBackoffJitterTests
{
    private static RetryBackoffOptions Backoff(BackoffJitter jitter, Func<double> random) => new()
    {
        InitialDelay = TimeSpan.FromSeconds(10),
        Multiplier = 2,
        MaxDelay = TimeSpan.FromMinutes(15),
        Jitter = jitter,
        NextRandom = random,
    };

    [Theory]
    [InlineData(BackoffJitter.Full, 0.0, 0)]
    [InlineData(BackoffJitter.Full, 0.5, 20)]
    [InlineData(BackoffJitter.Full, 0.99, 40)]
    [InlineData(BackoffJitter.Equal, 0.0, 20)]
    [InlineData(BackoffJitter.Equal, 0.5, 30)]
    [InlineData(BackoffJitter.None, 0.0, 40)]
    public void JitteredDelay_ThirdAttempt_SpreadAsConfigured(BackoffJitter jitter, double drawn, int expectedSeconds) =>
        Backoff(jitter, () => drawn).JitteredDelayFor(3).Should().Be(TimeSpan.FromSeconds(expectedSeconds));

    [Theory]
    [InlineData(BackoffJitter.Full, 0)]
    [InlineData(BackoffJitter.Equal, 20)]
    public void JitteredDelay_ManyDraws_StayWithinTheBoundsInWholeSeconds(BackoffJitter jitter, int lowestSeconds)
    {
        var random = new Random(1234);
        var backoff = Backoff(jitter, random.NextDouble);

        var delays = Enumerable.Range(0, 1000).Select(_ => backoff.JitteredDelayFor(3)).ToList();

        delays.Should().OnlyContain(d => d >= TimeSpan.FromSeconds(lowestSeconds) && d <= TimeSpan.FromSeconds(40) && d.Ticks % TimeSpan.TicksPerSecond == 0);
        delays.Distinct().Count().Should().BeGreaterThan(10, "the delays are spread, not one value");
    }

    [Fact]
    public void Jitter_ByDefault_IsFull() => new RetryBackoffOptions().Jitter.Should().Be(BackoffJitter.Full);
}
