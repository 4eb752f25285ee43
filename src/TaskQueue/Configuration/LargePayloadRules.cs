namespace TaskQueue;

/// <summary>Checks <see cref="LargePayloadOptions"/>: a bucket S3 accepts, a threshold within the message limit, a key prefix as the Java Extended Client allows.</summary>
internal static class LargePayloadRules
{
    public static void Check(List<string> failures, LargePayloadOptions? options, int maxMessageBytes)
    {
        if (options is null)
        {
            failures.Add("LargePayloads must not be null.");
            return;
        }

        if (options.Bucket is { } bucket && !IsBucketName(bucket))
        {
            failures.Add($"LargePayloads.Bucket '{bucket}' is not an S3 bucket name: 3 to 63 lowercase letters, digits, '.' and '-', starting and ending with a letter or digit.");
        }

        if (options.Threshold is { } threshold && (threshold < 0 || threshold > maxMessageBytes))
        {
            failures.Add($"LargePayloads.Threshold is {threshold}: it must be 0 (every message) to MaxMessageBytes ({maxMessageBytes}); a larger message would be refused by SQS.");
        }

        if (options.KeyPrefix is null || options.KeyPrefix.Length > LargePayloadOptions.MaxKeyPrefixLength || !options.KeyPrefix.All(IsKeyPrefixCharacter))
        {
            failures.Add($"LargePayloads.KeyPrefix must be at most {LargePayloadOptions.MaxKeyPrefixLength} letters, digits, '.', '/', '_' and '-' (the UUID key follows it).");
        }
    }

    private static bool IsBucketName(string name) =>
        name.Length is >= 3 and <= 63
        && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '-')
        && char.IsAsciiLetterOrDigit(name[0])
        && char.IsAsciiLetterOrDigit(name[^1]);

    private static bool IsKeyPrefixCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '/' or '_' or '-';
}
