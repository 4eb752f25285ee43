using System.Collections.Concurrent;

namespace TaskQueue.Testing;

/// <summary>
/// A payload store in process, for tests, samples and the demo: objects kept by bucket and key, counted by request as S3
/// bills them. Thread-safe; lost when the process ends. Fault injection: <see cref="FailNext"/> makes the next calls
/// throw, as an unreachable store would; <see cref="Remove"/> takes an object away, as a lifecycle rule would.
/// </summary>
public sealed class InMemoryPayloadStore : IPayloadStore
{
    private readonly ConcurrentDictionary<(string Bucket, string Key), byte[]> _objects = new();
    private int _failuresToInject;
    private long _puts;
    private long _gets;
    private long _deletes;

    /// <summary>How many objects it holds.</summary>
    public int Count => _objects.Count;

    /// <summary>How many puts it has taken.</summary>
    public long Puts => Interlocked.Read(ref _puts);

    /// <summary>How many reads it has opened.</summary>
    public long Gets => Interlocked.Read(ref _gets);

    /// <summary>How many deletes it has taken.</summary>
    public long Deletes => Interlocked.Read(ref _deletes);

    /// <summary>The keys it holds, by bucket.</summary>
    public IReadOnlyList<(string Bucket, string Key)> Keys => [.. _objects.Keys];

    /// <summary>Makes the next <paramref name="calls"/> calls throw an <see cref="IOException"/> before doing anything.</summary>
    /// <param name="calls">How many calls fail.</param>
    public void FailNext(int calls = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(calls);
        Volatile.Write(ref _failuresToInject, calls);
    }

    /// <summary>The stored bytes of an object, or null when there is none.</summary>
    /// <param name="bucket">The bucket.</param>
    /// <param name="key">The key.</param>
    /// <returns>A copy of its bytes.</returns>
    public byte[]? Get(string bucket, string key) => _objects.TryGetValue((bucket, key), out var body) ? [.. body] : null;

    /// <summary>Takes an object away, as a lifecycle rule or another consumer would.</summary>
    /// <param name="bucket">The bucket.</param>
    /// <param name="key">The key.</param>
    /// <returns>True when there was one.</returns>
    public bool Remove(string bucket, string key) => _objects.TryRemove((bucket, key), out _);

    /// <inheritdoc />
    public Task PutAsync(string bucket, string key, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _puts);
        ThrowIfFailing();
        _objects[(bucket, key)] = payload.ToArray();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<Stream> OpenReadAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _gets);
        ThrowIfFailing();
        return _objects.TryGetValue((bucket, key), out var body)
            ? Task.FromResult<Stream>(new MemoryStream(body, writable: false))
            : Task.FromException<Stream>(new PayloadNotFoundException(bucket, key));
    }

    /// <inheritdoc />
    public Task DeleteAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _deletes);
        ThrowIfFailing();
        _objects.TryRemove((bucket, key), out _);
        return Task.CompletedTask;
    }

    private void ThrowIfFailing()
    {
        var left = Volatile.Read(ref _failuresToInject);
        while (left > 0)
        {
            var seen = Interlocked.CompareExchange(ref _failuresToInject, left - 1, left);
            if (seen == left)
            {
                throw new IOException("The in-memory payload store was told to fail this call.");
            }

            left = seen;
        }
    }
}
