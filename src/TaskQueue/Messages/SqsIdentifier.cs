using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using TaskQueue.Sqs;

namespace TaskQueue;

/// <summary>
/// Makes MessageGroupId and MessageDeduplicationId values SQS accepts. SQS rejects ids over 128
/// characters or with characters other than letters, digits and ASCII punctuation; such ids are
/// mapped to a stable hash instead, so the same input always yields the same id and different
/// inputs different ids.
/// </summary>
internal static class SqsIdentifier
{
    /// <summary>The longest id SQS accepts.</summary>
    public const int MaxLength = SqsLimits.MaxIdLength;

    private const int HashHexLength = 64;

    private const int MaxPrefixLength = MaxLength - HashHexLength - 1;

    // The encoded parts of an id up to this size are hashed from the stack, larger ones from a pooled array.
    private const int MaxStackBytes = 256;

    private const string HexDigits = "0123456789abcdef";

    // Letters, digits and the punctuation SQS lists for group and deduplication ids.
    private static readonly SearchValues<char> Allowed = SearchValues.Create(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~");

    private static readonly SearchValues<char> LowerHex = SearchValues.Create("0123456789abcdef");

    // Ill-formed text throws rather than becoming U+FFFD, which would hash two different texts alike.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// The MessageGroupId of a task: <c>{entityId}-{taskName}</c>, made safe, as the Python reference handler
    /// writes it. Two pairs can share a group (<c>a-b</c> + <c>c</c> and <c>a</c> + <c>b-c</c>): that only
    /// couples their order, one runs after the other, never drops either, because their deduplication ids differ.
    /// </summary>
    /// <param name="entityId">The entity's id.</param>
    /// <param name="taskName">The task's name.</param>
    /// <returns>An id SQS accepts.</returns>
    public static string ForGroup(string entityId, string taskName) => MakeSafe($"{entityId}-{taskName}");

    /// <summary>
    /// Returns <paramref name="value"/> unchanged when SQS accepts it, else a readable prefix plus its SHA-256. A value
    /// that already has the shape of such a hashed id is hashed too, so no value passed through can equal another's hash.
    /// </summary>
    /// <param name="value">The wanted id.</param>
    /// <returns>An id of at most 128 allowed characters; equal inputs give equal ids, different inputs different ids.</returns>
    /// <exception cref="ArgumentException"><paramref name="value"/> holds a lone UTF-16 surrogate.</exception>
    public static string MakeSafe(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length is > 0 and <= MaxLength && !value.AsSpan().ContainsAnyExcept(Allowed) && !LooksHashed(value))
        {
            return value;
        }

        var hash = Sha256Hex(Utf8(value, nameof(value)));
        var prefix = new StringBuilder(MaxPrefixLength);
        foreach (var c in value)
        {
            if (prefix.Length == MaxPrefixLength)
            {
                break;
            }

            prefix.Append(Allowed.Contains(c) ? c : '_');
        }

        return prefix.Length == 0 ? hash : $"{prefix}-{hash}";
    }

    /// <summary>
    /// A MessageDeduplicationId that is an injective function of <paramref name="kind"/> and <paramref name="parts"/>:
    /// <c>{kind}-{SHA-256}</c> of their length-prefixed UTF-8, so no two different lists of parts meet, whatever
    /// characters they hold (joining them with a separator would let <c>a-b</c> + <c>c</c> meet <c>a</c> + <c>b-c</c>).
    /// </summary>
    /// <param name="kind">What the id deduplicates (letters only): tells the policies apart in the hash and to a reader.</param>
    /// <param name="parts">The values the id identifies.</param>
    /// <returns>An id of at most 128 allowed characters.</returns>
    internal static string ForDeduplication(string kind, params ReadOnlySpan<string> parts)
    {
        var length = LengthPrefixedSize(kind);
        foreach (var part in parts)
        {
            length += LengthPrefixedSize(part);
        }

        byte[]? rented = null;
        var encoded = length <= MaxStackBytes ? stackalloc byte[MaxStackBytes] : (rented = ArrayPool<byte>.Shared.Rent(length));
        var written = AppendLengthPrefixed(encoded, kind);
        foreach (var part in parts)
        {
            written += AppendLengthPrefixed(encoded[written..], part);
        }

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(encoded[..written], hash);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        Span<char> id = stackalloc char[kind.Length + 1 + HashHexLength];
        kind.CopyTo(id);
        id[kind.Length] = '-';
        WriteLowerHex(hash, id[(kind.Length + 1)..]);
        return new string(id);
    }

    private static int LengthPrefixedSize(string part)
    {
        try
        {
            return sizeof(int) + StrictUtf8.GetByteCount(part);
        }
        catch (EncoderFallbackException)
        {
            throw LoneSurrogate(part, nameof(part));
        }
    }

    private static int AppendLengthPrefixed(Span<byte> destination, string part)
    {
        var length = StrictUtf8.GetBytes(part, destination[sizeof(int)..]);
        BinaryPrimitives.WriteInt32BigEndian(destination, length);
        return sizeof(int) + length;
    }

    private static void WriteLowerHex(ReadOnlySpan<byte> bytes, Span<char> destination)
    {
        for (var i = 0; i < bytes.Length; i++)
        {
            destination[2 * i] = HexDigits[bytes[i] >> 4];
            destination[(2 * i) + 1] = HexDigits[bytes[i] & 0xF];
        }
    }

    /// <summary>The shape <see cref="MakeSafe"/> gives a hashed id: 64 lowercase hex digits, alone or after a prefix and a dash.</summary>
    private static bool LooksHashed(string value) =>
        value.Length >= HashHexLength
        && !value.AsSpan(value.Length - HashHexLength).ContainsAnyExcept(LowerHex)
        && (value.Length == HashHexLength || value[^(HashHexLength + 1)] == '-');

    private static string Sha256Hex(byte[] bytes)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(bytes, hash);
        Span<char> hex = stackalloc char[HashHexLength];
        WriteLowerHex(hash, hex);
        return new string(hex);
    }

    private static byte[] Utf8(string text, string parameterName)
    {
        try
        {
            return StrictUtf8.GetBytes(text);
        }
        catch (EncoderFallbackException)
        {
            throw LoneSurrogate(text, parameterName);
        }
    }

    private static ArgumentException LoneSurrogate(string text, string parameterName)
    {
        var index = UnicodeText.IndexOfLoneSurrogate(text);
        return new ArgumentException(UnicodeText.LoneSurrogateMessage("an id", text[index], index), parameterName);
    }
}
