using System.Globalization;
using FluentAssertions;

namespace TaskQueue.Tests;

/// <summary>The timestamps of task bodies: the form TaskQueue and Python write is read digit by digit, the same as the general parser reads it.</summary>
public class WireFormatTimestampTests
{
    [Fact]
    public void TryParseTimestamp_WrittenForm_RoundTripsToTheMicrosecond()
    {
        var random = new Random(20261128);
        for (var i = 0; i < 10_000; i++)
        {
            var time = new DateTimeOffset(random.NextInt64(DateTime.MinValue.Ticks, DateTime.MaxValue.Ticks) / 10 * 10, TimeSpan.Zero);

            WireFormat.TryParseTimestamp(WireFormat.FormatTimestamp(time), out var read).Should().BeTrue();

            read.Should().Be(time);
            read.Offset.Should().Be(TimeSpan.Zero);
        }
    }

    [Theory]
    [InlineData("2026-11-28T07:00:00.123456+00:00")]
    [InlineData("2024-02-29T23:59:59.999999+00:00")]
    [InlineData("2026-11-28T07:00:00+00:00")]
    [InlineData("2026-11-28T07:00:00.123456+02:00")]
    [InlineData("2026-11-28T07:00:00.123456")]
    [InlineData("2026-11-28T07:00:00Z")]
    [InlineData("2026-13-28T07:00:00.123456+00:00")]
    [InlineData("2025-02-29T07:00:00.123456+00:00")]
    [InlineData("2026-11-31T07:00:00.123456+00:00")]
    [InlineData("2026-11-28T24:00:00.123456+00:00")]
    [InlineData("2026-11-28T07:60:00.123456+00:00")]
    [InlineData("2026-11-28T07:00:60.123456+00:00")]
    [InlineData("0000-11-28T07:00:00.123456+00:00")]
    [InlineData("2026-1a-28T07:00:00.123456+00:00")]
    [InlineData("2026-11-28T07:00:00.12345a+00:00")]
    [InlineData("2026-11-28 07:00:00.123456+00:00")]
    [InlineData("not a time at all, 32 chars long")]
    public void TryParseTimestamp_AnyText_ReadsAsTheGeneralParserDoes(string text)
    {
        var expected = DateTimeOffset.TryParse(
            text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var general);

        WireFormat.TryParseTimestamp(text, out var read).Should().Be(expected);

        read.Should().Be(general);
    }
}
