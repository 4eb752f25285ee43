using System.Globalization;
using TaskQueue.Sqs;

namespace TaskQueue.Testing;

/// <summary>The parameter ranges SQS enforces on receives and visibility changes.</summary>
internal static class RequestRules
{
    public const int MaxVisibilityTimeoutSeconds = 43_200;
    private const int MaxWaitTimeSeconds = 20;

    /// <exception cref="SqsRequestException">A count, wait or visibility timeout out of range.</exception>
    public static void ValidateReceive(ReceiveOptions options)
    {
        if (options.MaxMessages is < 1 or > BatchRules.MaxEntries)
        {
            throw SqsErrors.Request(
                SqsErrors.InvalidParameterValue,
                string.Create(CultureInfo.InvariantCulture, $"MaxNumberOfMessages is {options.MaxMessages}: it must be 1 to 10."));
        }

        var wait = WholeSeconds(options.WaitTime);
        if (wait is < 0 or > MaxWaitTimeSeconds)
        {
            throw SqsErrors.Request(
                SqsErrors.InvalidParameterValue,
                string.Create(CultureInfo.InvariantCulture, $"WaitTimeSeconds is {wait}: it must be 0 to 20."));
        }

        if (options.VisibilityTimeout is { } visibility && VisibilityError(visibility) is { } error)
        {
            throw SqsErrors.Request(error.Code, error.Message);
        }
    }

    /// <summary>Why a visibility timeout is out of range, or null when it is 0 to 12 hours.</summary>
    public static (string Code, string Message)? VisibilityError(TimeSpan visibilityTimeout)
    {
        var seconds = WholeSeconds(visibilityTimeout);
        return seconds is < 0 or > MaxVisibilityTimeoutSeconds
            ? (SqsErrors.InvalidParameterValue, string.Create(
                CultureInfo.InvariantCulture, $"VisibilityTimeout is {seconds} s: it must be 0 to 43200 (12 hours)."))
            : null;
    }

    /// <summary>SQS takes whole seconds; like <c>AwsSqsClient</c>, fractions round up.</summary>
    public static TimeSpan ToWholeSeconds(TimeSpan time) => TimeSpan.FromSeconds(WholeSeconds(time));

    private static long WholeSeconds(TimeSpan time) => (long)Math.Ceiling(time.TotalSeconds);
}
