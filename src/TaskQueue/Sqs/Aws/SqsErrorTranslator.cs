using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;

namespace TaskQueue.Sqs;

/// <summary>Turns an error of an AWS SDK call into the <see cref="TaskQueueException"/> a caller can act on.</summary>
internal static class SqsErrorTranslator
{
    // The SDK reports SQS's legacy query codes when the service sends them, e.g. AWS.SimpleQueueService.NonExistentQueue.
    private const string QueryCodePrefix = "AWS.SimpleQueueService.";

    private static readonly HashSet<string> ThrottledCodes = new(StringComparer.OrdinalIgnoreCase)
    {
        "ThrottlingException", "Throttling", "RequestThrottled", "RequestThrottledException", "OverLimit", "OverLimitException",
    };

    private static readonly HashSet<string> TooLargeCodes = new(StringComparer.OrdinalIgnoreCase)
    {
        "BatchRequestTooLong", "RequestEntityTooLarge",
    };

    private static readonly HashSet<string> InvalidParameterCodes = new(StringComparer.OrdinalIgnoreCase)
    {
        "InvalidParameterValue", "InvalidParameterValueException", "InvalidMessageContents",
    };

    // Phrases SQS and compatible servers use when a message or a batch is over the size limit.
    private static readonly string[] SizePhrases =
        ["shorter than", "longer than", "too long", "too large", "message size", "MaximumMessageSize"];

    /// <summary>Translates <paramref name="error"/>, raised by <paramref name="action"/> on <paramref name="queue"/>.</summary>
    /// <param name="error">What the SDK threw.</param>
    /// <param name="action">The SQS action, e.g. <c>SendMessageBatch</c>.</param>
    /// <param name="queue">The queue URL, or the queue name for actions that take one.</param>
    /// <returns>The exception to throw in its place; its inner exception is <paramref name="error"/>.</returns>
    public static TaskQueueException Translate(Exception error, string action, string queue)
    {
        var service = error as AmazonServiceException;
        var code = ShortCode(service?.ErrorCode);
        var status = service?.StatusCode ?? 0;
        var detail = OneLine(error.Message);

        if (Has(ThrottledCodes, code) || status == HttpStatusCode.TooManyRequests || service?.Retryable?.Throttling == true)
        {
            return new SqsThrottledException(
                $"{action} on queue {queue} was throttled ({code ?? "HTTP 429"}): retry after a delay or lower the request rate.",
                error);
        }

        if (SqsConfigurationErrors.Classify(error, code, action, queue, detail) is { } configuration)
        {
            return configuration;
        }

        if (Has(TooLargeCodes, code) || error is Amazon.SQS.Model.BatchRequestTooLongException
            || (Has(InvalidParameterCodes, code) && SizePhrases.Any(p => detail.Contains(p, StringComparison.OrdinalIgnoreCase))))
        {
            return new MessageTooLargeException(
                $"{action} on queue {queue} was rejected as too large ({detail}): keep each message within the queue's MaximumMessageSize and each batch within 1 MiB in all.",
                error);
        }

        var transient = IsTransient(error, service);
        var advice = transient ? "retry later" : "check the request and the queue's settings";
        var what = (code, status) switch
        {
            (null, 0) => error.GetType().Name,
            (null, _) => $"HTTP {(int)status}",
            (_, 0) => code,
            _ => $"{code}, HTTP {(int)status}",
        };
        return new SqsRequestException($"{action} on queue {queue} failed ({what}: {detail}): {advice}.", code, transient, error);
    }

    private static bool IsTransient(Exception error, AmazonServiceException? service)
    {
        if (service is not null && ((int)service.StatusCode >= 500 || service.ErrorType == ErrorType.Receiver))
        {
            return true;
        }

        // The SDK throws network faults as they are, or wrapped in an AmazonClientException or AmazonServiceException.
        return SqsConfigurationErrors.Chain(error).Any(e => e is HttpRequestException or IOException or SocketException or TimeoutException or OperationCanceledException);
    }

    // Null when the service named no error, as a web server that is not SQS does: the SDK then reports an empty code.
    private static string? ShortCode(string? code) =>
        string.IsNullOrEmpty(code) ? null : code.StartsWith(QueryCodePrefix, StringComparison.Ordinal) ? code[QueryCodePrefix.Length..] : code;

    private static bool Has(HashSet<string> codes, string? code) => code is not null && codes.Contains(code);

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim();
}
