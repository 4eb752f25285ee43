namespace TaskQueue;

/// <summary>
/// Large task bodies (claim check): a task whose message would be larger than <see cref="Threshold"/> is stored in
/// <see cref="Bucket"/> and sent as a pointer in the AWS Extended Client format, which Java and Python Extended Client
/// consumers read as well. Reading needs no bucket: a worker with a payload store fetches any pointer it receives.
/// </summary>
public sealed class LargePayloadOptions
{
    /// <summary>Longest <see cref="KeyPrefix"/>: an S3 key is at most 1,024 characters, and the 36 of a UUID follow the prefix.</summary>
    public const int MaxKeyPrefixLength = 1024 - 36;

    /// <summary>
    /// The bucket enqueue stores large bodies in; null (the default) stores none, and a message over
    /// <see cref="TaskQueueOptions.MaxMessageBytes"/> is refused as before. Needs a payload store
    /// (<c>AddS3LargePayloads</c> sets both).
    /// </summary>
    public string? Bucket { get; set; }

    /// <summary>
    /// Messages larger than this many bytes (body and attributes, in UTF-8, as SQS counts them) go through the bucket:
    /// 0 (every message) to <see cref="TaskQueueOptions.MaxMessageBytes"/>. Null (the default) is
    /// <see cref="TaskQueueOptions.MaxMessageBytes"/>, the queue's limit.
    /// </summary>
    public int? Threshold { get; set; }

    /// <summary>
    /// Put before each object's key, a UUID, as the Java Extended Client's prefix is, e.g. <c>tasks/</c>: letters,
    /// digits, <c>.</c>, <c>/</c>, <c>_</c> and <c>-</c>, at most <see cref="MaxKeyPrefixLength"/>. Empty by default.
    /// </summary>
    public string KeyPrefix { get; set; } = string.Empty;

    /// <summary>
    /// Whether a worker deletes a task's stored body once it has deleted the task's message (never before: a message
    /// that comes back must still find its body). A dead-lettered task keeps its body, for a redrive. Default true;
    /// false leaves them to a bucket lifecycle rule.
    /// </summary>
    public bool DeleteAfterProcessing { get; set; } = true;
}
