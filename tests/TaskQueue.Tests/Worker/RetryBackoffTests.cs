using FluentAssertions;

namespace TaskQueue.Tests.Worker;

public class RetryBackoffTests
{
    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 10)]
    [InlineData(3, 20)]
    [InlineData(6, 160)]
    [InlineData(9, 900)]
    [InlineData(1000, 900)]
    public void DelayFor_GrowsExponentiallyUpToMax(int receiveCount, int expectedSeconds) =>
        new RetryBackoffOptions().DelayFor(receiveCount).Should().Be(TimeSpan.FromSeconds(expectedSeconds));

    [Fact]
    public void DelayFor_FractionalDelay_RoundsUpToWholeSeconds() =>
        new RetryBackoffOptions { InitialDelay = TimeSpan.FromMilliseconds(1500), Multiplier = 1 }.DelayFor(4).Should().Be(TimeSpan.FromSeconds(2));
}
