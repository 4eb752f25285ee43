namespace TaskQueue;

/// <summary>
/// Where large task bodies are kept (the claim check): enqueue puts a body that would not fit in a message here and sends
/// a pointer to it; the worker reads it back before the task runs and deletes it once the message is deleted.
/// <c>S3PayloadStore</c> (package TaskQueue.S3) keeps them in Amazon S3; <c>InMemoryPayloadStore</c> (TaskQueue.Testing)
/// in memory, for tests.
/// </summary>
public interface IPayloadStore
{
    /// <summary>Stores a body under a new key.</summary>
    /// <param name="bucket">The bucket.</param>
    /// <param name="key">The object's key, new for each body.</param>
    /// <param name="payload">The body, UTF-8.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when the body is stored.</returns>
    Task PutAsync(string bucket, string key, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken);

    /// <summary>Opens a stored body for reading; the caller disposes the stream.</summary>
    /// <param name="bucket">The bucket.</param>
    /// <param name="key">The object's key.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The body's bytes as they arrive, not buffered whole.</returns>
    /// <exception cref="PayloadNotFoundException">No such object (or no such bucket): no retry can bring it back.</exception>
    Task<Stream> OpenReadAsync(string bucket, string key, CancellationToken cancellationToken);

    /// <summary>Deletes a stored body; deleting one that is gone already succeeds.</summary>
    /// <param name="bucket">The bucket.</param>
    /// <param name="key">The object's key.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when the body is deleted.</returns>
    Task DeleteAsync(string bucket, string key, CancellationToken cancellationToken);
}
