namespace TaskQueue;

/// <summary>
/// A message points to a stored body that does not exist (deleted, expired by a lifecycle rule, or in a bucket that is
/// gone). Its task can never run: the worker treats it as poison, with a reason naming the bucket and key.
/// </summary>
public sealed class PayloadNotFoundException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="bucket">The bucket the pointer names.</param>
    /// <param name="key">The key the pointer names.</param>
    /// <param name="innerException">The store's own error, if any.</param>
    public PayloadNotFoundException(string bucket, string key, Exception? innerException = null)
        : base($"The stored task body s3://{bucket}/{key} does not exist.", innerException)
    {
        Bucket = bucket;
        Key = key;
    }

    /// <summary>The bucket the pointer names.</summary>
    public string Bucket { get; }

    /// <summary>The key the pointer names.</summary>
    public string Key { get; }
}
