using System.Net;

namespace TaskQueue;

/// <summary>
/// Turns a failed SNS request into one line that says what to do: throttling and server faults are transient (the
/// worker keeps the task's message and tries again); a missing topic, rejected credentials, denied access and an
/// endpoint that is not SNS need someone to fix the setup.
/// </summary>
internal static class SnsErrors
{
    private static readonly HashSet<string> ThrottledCodes = new(StringComparer.OrdinalIgnoreCase)
    {
        "Throttled", "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottled", "KMSThrottling",
    };

    private static readonly HashSet<string> ServerFaultCodes = new(StringComparer.OrdinalIgnoreCase)
    {
        "InternalError", "InternalFailure", "ServiceUnavailable", "RequestTimeout", "RequestTimeoutException",
    };

    private static readonly HashSet<string> NotFoundCodes = new(StringComparer.OrdinalIgnoreCase)
    {
        "NotFound", "NotFoundException", "ResourceNotFound", "ResourceNotFoundException",
    };

    private static readonly HashSet<string> RejectedCredentialCodes = new(StringComparer.OrdinalIgnoreCase)
    {
        "InvalidClientTokenId", "SignatureDoesNotMatch", "IncompleteSignature", "MissingAuthenticationToken",
        "ExpiredToken", "InvalidAccessKeyId", "InvalidSecurity", "UnrecognizedClientException", "RequestExpired",
    };

    private static readonly HashSet<string> AccessDeniedCodes = new(StringComparer.OrdinalIgnoreCase)
    {
        "AuthorizationError", "AccessDenied", "AccessDeniedException",
    };

    /// <summary>The exception for an error answer of SNS.</summary>
    /// <param name="action">The SNS action, e.g. <c>Publish</c>.</param>
    /// <param name="target">The topic ARN or name the request was about.</param>
    /// <param name="status">The HTTP status.</param>
    /// <param name="code">SNS's error code; null when the answer named none (or was not SNS's).</param>
    /// <param name="detail">SNS's error message, or what the answer was.</param>
    public static SnsRequestException FromAnswer(string action, string target, HttpStatusCode status, string? code, string detail)
    {
        var what = code is null ? $"HTTP {(int)status}" : $"{code}, HTTP {(int)status}";
        if (Has(ThrottledCodes, code) || status == HttpStatusCode.TooManyRequests)
        {
            return new($"SNS {action} on {target} was throttled ({what}): retry after a delay, or lower the request rate.", code, true);
        }

        if (Has(ServerFaultCodes, code) || (int)status >= 500)
        {
            return new($"SNS {action} on {target} failed on the server side ({what}: {detail}): retry later.", code, true);
        }

        if (Has(NotFoundCodes, code))
        {
            return new($"SNS {action} failed: topic {target} does not exist ({what}: {detail}): create it (EntityEventTopic.EnsureTopicAsync) or check the topic ARN and its region.", code, false);
        }

        if (Has(RejectedCredentialCodes, code) || (status == HttpStatusCode.Unauthorized && code is null))
        {
            return new($"SNS {action} on {target} was refused: the AWS credentials are not valid ({what}: {detail}): check AWS_PROFILE or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, and renew an expired session token.", code, false);
        }

        if (Has(AccessDeniedCodes, code) || status == HttpStatusCode.Forbidden)
        {
            return new($"SNS {action} on {target} was denied ({what}: {detail}): allow sns:{action} on the topic for the credentials in use, or use other credentials.", code, false);
        }

        if (code is null || code.Equals("InvalidAction", StringComparison.OrdinalIgnoreCase))
        {
            return new($"SNS {action} on {target} failed: the endpoint did not answer as SNS does ({what}: {detail}): check the SNS endpoint (AWS:ServiceURL, AWS_ENDPOINT_URL_SNS or AWS_ENDPOINT_URL).", code, false);
        }

        return new($"SNS {action} on {target} was rejected ({what}: {detail}): check the request and the topic's settings.", code, false);
    }

    /// <summary>The exception for a request that got no answer: a network fault or a timeout, transient.</summary>
    public static SnsRequestException FromNetwork(string action, string target, Exception error) =>
        new($"SNS {action} on {target} got no answer ({error.GetType().Name}: {OneLine(error.Message)}): retry later, and check the SNS endpoint if it persists.", null, true, error);

    /// <summary>The exception for credentials the SDK's chain could not find, before anything was sent.</summary>
    public static SnsRequestException NoCredentials(string action, string target, Exception error) =>
        new($"SNS {action} on {target} failed: no AWS credentials found: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (any values for a local server), or run with an IAM role.", null, false, error);

    public static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim();

    private static bool Has(HashSet<string> codes, string? code) => code is not null && codes.Contains(code);
}
