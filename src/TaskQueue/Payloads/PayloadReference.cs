namespace TaskQueue;

/// <summary>Where a message's body is stored, when the message is a pointer (the AWS Extended Client format).</summary>
/// <param name="Bucket">The bucket (<c>s3BucketName</c> in the pointer).</param>
/// <param name="Key">The object's key (<c>s3Key</c>).</param>
/// <param name="Size">The body's size in bytes, from the <c>ExtendedPayloadSize</c> attribute, when the message has it.</param>
public sealed record PayloadReference(string Bucket, string Key, long? Size)
{
    /// <summary>The object's address, <c>s3://bucket/key</c>.</summary>
    /// <returns>The address.</returns>
    public override string ToString() => $"s3://{Bucket}/{Key}";
}
