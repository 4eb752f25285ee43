using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;

namespace TaskQueue.Sqs;

/// <summary>
/// Recognises the SDK errors that no retry can fix (a missing queue, denied access, missing or rejected credentials,
/// an endpoint that is not SQS or does not resolve) and says, in one line, what to fix.
/// </summary>
internal static class SqsConfigurationErrors
{
    private static readonly HashSet<string> QueueMissingCodes = new(StringComparer.OrdinalIgnoreCase)
    {
        "NonExistentQueue", "QueueDoesNotExist",
    };

    private static readonly HashSet<string> AccessDeniedCodes = new(StringComparer.OrdinalIgnoreCase)
    {
        "AccessDenied", "AccessDeniedException",
    };

    private static readonly HashSet<string> RejectedCredentialCodes = new(StringComparer.OrdinalIgnoreCase)
    {
        "UnrecognizedClientException", "InvalidClientTokenId", "SignatureDoesNotMatch", "IncompleteSignature",
        "MissingAuthenticationToken", "MissingAuthenticationTokenException", "ExpiredToken", "ExpiredTokenException",
        "InvalidAccessKeyId", "InvalidSecurity",
    };

    // What an AWS service that is not SQS answers to an SQS action: JSON protocol, then query protocol.
    private static readonly HashSet<string> UnknownActionCodes = new(StringComparer.OrdinalIgnoreCase)
    {
        "UnknownOperationException", "InvalidAction",
    };

    /// <summary>The configuration error <paramref name="error"/> shows, or null when a retry or another request might succeed.</summary>
    /// <param name="error">What the SDK threw.</param>
    /// <param name="code">The service's error code without its query-protocol prefix; null when it named none.</param>
    /// <param name="action">The SQS action, e.g. <c>ReceiveMessage</c>.</param>
    /// <param name="queue">The queue URL or name.</param>
    /// <param name="detail">The SDK's message on one line.</param>
    public static SqsConfigurationException? Classify(Exception error, string? code, string action, string queue, string detail)
    {
        var service = error as AmazonServiceException;
        var status = service?.StatusCode ?? 0;
        if (error is Amazon.SQS.Model.QueueDoesNotExistException || Has(QueueMissingCodes, code))
        {
            return new QueueDoesNotExistException(
                $"{action} failed: queue {queue} does not exist: create it (taskqueue queues create) or check the URL and region.",
                error);
        }

        if (service is null && error is AmazonClientException && detail.Contains("credentials", StringComparison.OrdinalIgnoreCase))
        {
            // The SDK found no credentials before sending anything; its message lists every source it tried, over many lines.
            return new SqsConfigurationException(
                $"{action} on queue {queue} failed: no AWS credentials found: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (any values for a local SQS-compatible server), or run with an IAM role.",
                error);
        }

        if (Has(RejectedCredentialCodes, code) || (status == HttpStatusCode.Unauthorized && code is null))
        {
            return new SqsConfigurationException(
                $"{action} on queue {queue} was refused: the AWS credentials are not valid ({code ?? "HTTP 401"}: {detail}): check AWS_PROFILE or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, and renew an expired session token.",
                error);
        }

        if (Has(AccessDeniedCodes, code) || status == HttpStatusCode.Forbidden)
        {
            return new QueueAccessDeniedException(
                $"{action} on queue {queue} was denied ({code ?? "HTTP 403"}: {detail}): allow sqs:{action} on the queue for the credentials in use, or use other credentials.",
                error);
        }

        if (NotSqsAnswer(error, service, code, detail) is { } answer)
        {
            return new SqsConfigurationException(
                $"{action} on queue {queue} failed: the endpoint did not answer as SQS does ({answer}): check that the service URL (the CLI's --endpoint) points at an SQS-compatible server.",
                error);
        }

        if (HostNotFound(error))
        {
            return new SqsConfigurationException(
                $"{action} on queue {queue} failed: the endpoint's host name does not resolve ({detail}): check the service URL (the CLI's --endpoint) and the region.",
                error);
        }

        return null;
    }

    /// <summary>How the endpoint's answer shows it is not SQS, or null when it may be.</summary>
    private static string? NotSqsAnswer(Exception error, AmazonServiceException? service, string? code, string detail)
    {
        if (Has(UnknownActionCodes, code))
        {
            return $"{code}: {detail}";
        }

        // SQS names an error in every 4xx answer; a web server's 404 or 405 page names none.
        if (service is not null && code is null && service.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed)
        {
            return $"HTTP {(int)service.StatusCode} without an SQS error code";
        }

        // A body that does not parse, e.g. an HTML page; not a gateway's error page (5xx) or a connection broken half way.
        if (error is AmazonUnmarshallingException { StatusCode: < HttpStatusCode.InternalServerError } unreadable
            && !HasInChain<IOException>(error) && !HasInChain<HttpRequestException>(error))
        {
            return $"HTTP {(int)unreadable.StatusCode} with a body that is not an SQS response";
        }

        return null;
    }

    // A name that does not exist, e.g. a mistyped host or region; a DNS server that does not answer is SocketError.TryAgain, transient.
    private static bool HostNotFound(Exception error) =>
        Chain(error).OfType<SocketException>().Any(s => s.SocketErrorCode is SocketError.HostNotFound or SocketError.NoData);

    private static bool HasInChain<T>(Exception error) where T : Exception => Chain(error).OfType<T>().Any();

    /// <summary>The error and its inner exceptions, outermost first: the SDK wraps network faults at varying depths.</summary>
    internal static IEnumerable<Exception> Chain(Exception error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }

    private static bool Has(HashSet<string> codes, string? code) => code is not null && codes.Contains(code);
}
