using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace TaskQueue.Messages;

/// <summary>
/// Makes MessageGroupId and MessageDeduplicationId values SQS accepts. SQS rejects ids over 128
/// characters or with characters other than letters, digits and ASCII punctuation; such ids are
/// mapped to a stable hash instead, so the same input always yields the same id.
/// </summary>
public static class SqsIdentifier
{
    /// <summary>The longest id SQS accepts.</summary>
    public const int MaxLength = 128;

    private const int HashHexLength = 64;

    // Letters, digits and the punctuation SQS lists for group and deduplication ids.
    private static readonly SearchValues<char> Allowed = SearchValues.Create(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~");

    /// <summary>The MessageGroupId of a task: <c>{entityId}-{taskName}</c>, made safe.</summary>
    /// <param name="entityId">The entity's id.</param>
    /// <param name="taskName">The task's name.</param>
    /// <returns>An id SQS accepts.</returns>
    public static string ForGroup(string entityId, string taskName) => MakeSafe($"{entityId}-{taskName}");

    /// <summary>Returns <paramref name="value"/> unchanged when SQS accepts it, else a readable prefix plus its SHA-256.</summary>
    /// <param name="value">The wanted id.</param>
    /// <returns>An id of at most 128 allowed characters; equal inputs give equal ids.</returns>
    public static string MakeSafe(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length is > 0 and <= MaxLength && !value.AsSpan().ContainsAnyExcept(Allowed))
        {
            return value;
        }

        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(value))).ToLowerInvariant();
        var prefix = new StringBuilder(MaxLength - HashHexLength - 1);
        foreach (var c in value)
        {
            if (prefix.Length == MaxLength - HashHexLength - 1)
            {
                break;
            }

            prefix.Append(Allowed.Contains(c) ? c : '_');
        }

        return prefix.Length == 0 ? hash : $"{prefix}-{hash}";
    }
}
