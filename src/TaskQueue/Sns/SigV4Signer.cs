using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Amazon.Runtime;

namespace TaskQueue;

/// <summary>
/// AWS Signature Version 4 for one request, signed in its headers: the canonical request (method, path, sorted query,
/// the signed headers, the payload's SHA-256), the string to sign under the date/region/service scope, and the HMAC
/// chain from the secret key. Only what a query-protocol POST needs; checked against AWS's published example.
/// </summary>
internal static class SigV4Signer
{
    public const string Algorithm = "AWS4-HMAC-SHA256";

    /// <summary>The headers to add to the request: <c>x-amz-date</c>, <c>x-amz-security-token</c> with a session token, and <c>Authorization</c>.</summary>
    /// <param name="method">The HTTP method, e.g. <c>POST</c>.</param>
    /// <param name="uri">The request's URL: its authority is the signed <c>host</c>, its path and query are canonicalized.</param>
    /// <param name="headers">Other headers to sign, e.g. <c>content-type</c>, as they are sent.</param>
    /// <param name="payload">The request body as sent.</param>
    /// <param name="credentials">The key that signs.</param>
    /// <param name="region">The region of the scope, e.g. <c>us-east-1</c>.</param>
    /// <param name="service">The service of the scope, e.g. <c>sns</c>.</param>
    /// <param name="now">The signing time: AWS refuses a signature more than 5 minutes off its clock.</param>
    public static IReadOnlyList<KeyValuePair<string, string>> Sign(
        string method,
        Uri uri,
        IEnumerable<KeyValuePair<string, string>> headers,
        ReadOnlySpan<byte> payload,
        ImmutableCredentials credentials,
        string region,
        string service,
        DateTimeOffset now)
    {
        var amzDate = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var added = new List<KeyValuePair<string, string>> { new("x-amz-date", amzDate) };
        if (credentials.UseToken)
        {
            added.Add(new("x-amz-security-token", credentials.Token));
        }

        var signed = headers.Concat(added).Append(new("host", uri.Authority)).ToList();
        var canonical = CanonicalRequest(method, uri, signed, Hex(SHA256.HashData(payload)), out var signedHeaders);
        var scope = $"{amzDate[..8]}/{region}/{service}/aws4_request";
        var stringToSign = $"{Algorithm}\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        var signature = Hex(HMACSHA256.HashData(SigningKey(credentials.SecretKey, amzDate[..8], region, service), Encoding.UTF8.GetBytes(stringToSign)));
        added.Add(new("Authorization", $"{Algorithm} Credential={credentials.AccessKey}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}"));
        return added;
    }

    /// <summary>The canonical request: header names lowercased and sorted, values trimmed with inner runs of spaces folded.</summary>
    internal static string CanonicalRequest(
        string method, Uri uri, IEnumerable<KeyValuePair<string, string>> headers, string payloadHash, out string signedHeaders)
    {
        var sorted = headers
            .Select(h => (Name: h.Key.ToLowerInvariant(), Value: string.Join(' ', h.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))))
            .OrderBy(h => h.Name, StringComparer.Ordinal)
            .ToList();
        signedHeaders = string.Join(';', sorted.Select(h => h.Name));
        var canonicalHeaders = string.Concat(sorted.Select(h => $"{h.Name}:{h.Value}\n"));
        return $"{method}\n{CanonicalPath(uri)}\n{CanonicalQuery(uri)}\n{canonicalHeaders}\n{signedHeaders}\n{payloadHash}";
    }

    /// <summary>kSigning = HMAC chain of the date, region, service and <c>aws4_request</c>, keyed first by <c>AWS4</c> + the secret.</summary>
    internal static byte[] SigningKey(string secretKey, string date, string region, string service)
    {
        var key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secretKey), Encoding.UTF8.GetBytes(date));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(region));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(service));
        return HMACSHA256.HashData(key, "aws4_request"u8);
    }

    /// <summary>RFC 3986 percent-encoding, as SigV4 wants it: every byte but letters, digits and <c>-_.~</c>, in uppercase hex.</summary>
    internal static string Encode(string value) => Uri.EscapeDataString(value);

    internal static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes).ToLowerInvariant();

    // Services other than S3 sign each path segment encoded once more than it is sent.
    private static string CanonicalPath(Uri uri) =>
        uri.AbsolutePath is "" or "/" ? "/" : string.Join('/', uri.AbsolutePath.Split('/').Select(Encode));

    private static string CanonicalQuery(Uri uri) =>
        string.Join('&', uri.Query.TrimStart('?')
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .Select(pair => (Name: Encode(Uri.UnescapeDataString(pair[0])), Value: Encode(Uri.UnescapeDataString(pair.Length > 1 ? pair[1] : string.Empty))))
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => $"{p.Name}={p.Value}"));
}
