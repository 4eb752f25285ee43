using System.Net;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using TaskQueue.Sqs;

namespace TaskQueue;

/// <summary>
/// Turns the DynamoDB errors that no retry can fix (a missing table, denied access, missing or rejected credentials)
/// into one line naming the table and what to do: the worker logs it on every retry, so it must say what is wrong.
/// Other errors (throttling, a server error, a failed condition) pass unchanged.
/// </summary>
internal static class LedgerErrors
{
    private static readonly HashSet<string> RejectedCredentialCodes = new(StringComparer.OrdinalIgnoreCase)
    {
        "UnrecognizedClientException", "InvalidSignatureException", "IncompleteSignatureException",
        "MissingAuthenticationToken", "MissingAuthenticationTokenException", "ExpiredToken", "ExpiredTokenException",
        "InvalidClientTokenId",
    };

    /// <summary>Runs one DynamoDB call on <paramref name="tableName"/>, translating what it throws.</summary>
    public static async Task<T> CallAsync<T>(string tableName, string action, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception error) when (Translate(error, tableName, action) is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>The error to throw instead of <paramref name="error"/>, or null to let it pass.</summary>
    public static TaskQueueException? Translate(Exception error, string tableName, string action)
    {
        var service = error as AmazonServiceException;
        var detail = error.Message.ReplaceLineEndings(" ");
        if (error is ResourceNotFoundException)
        {
            return new TaskQueueException(
                $"entity ledger table '{tableName}' does not exist ({action}): create it with DynamoDbEntityLedger.EnsureTableAsync (or the taskqueue CLI), or check the table name, region and endpoint.",
                error);
        }

        if (error is AmazonClientException && detail.Contains("credentials", StringComparison.OrdinalIgnoreCase))
        {
            return new TaskQueueException(
                $"{action} on entity ledger table '{tableName}' failed: no AWS credentials found: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (any values for a local DynamoDB-compatible server), or run with an IAM role.",
                error);
        }

        if (service is not null && (RejectedCredentialCodes.Contains(service.ErrorCode ?? "") || service.StatusCode == HttpStatusCode.Unauthorized))
        {
            return new TaskQueueException(
                $"{action} on entity ledger table '{tableName}' was refused: the AWS credentials are not valid ({service.ErrorCode}: {detail}): check AWS_PROFILE or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, and renew an expired session token.",
                error);
        }

        if (service is not null && (service.ErrorCode is "AccessDeniedException" or "AccessDenied" || service.StatusCode == HttpStatusCode.Forbidden))
        {
            return new TaskQueueException(
                $"{action} on entity ledger table '{tableName}' was denied ({service.ErrorCode}: {detail}): allow dynamodb:{action} on the table for the credentials in use, or use other credentials.",
                error);
        }

        return null;
    }
}
