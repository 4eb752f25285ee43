using TaskQueue.Sqs;
using TaskQueue.Testing;

namespace TaskQueue.Benchmarks.Micro;

/// <summary>
/// An <see cref="ISqsClient"/> without I/O that feeds a worker prepared messages: a receive returns as many as it asks
/// for until a round's count has been handed out, then waits as a long poll on an empty queue does; deletes succeed;
/// the other calls (none on a worker's path here) go to a <see cref="NoOpSqsClient"/>.
/// Each call completes on the thread pool, as an answer from the network would. What a worker over it costs is its own.
/// </summary>
public sealed class PreparedFeedSqsClient(IReadOnlyList<ReceivedMessage> messages) : DelegatingSqsClient(new NoOpSqsClient())
{
    private int _handedOut;
    private int _deleted;
    private int _target;
    private TaskCompletionSource _allDeleted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Starts a round of <paramref name="tasks"/> messages; completes once all of them are deleted.</summary>
    public Task StartRound(int tasks)
    {
        _allDeleted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _deleted, 0);
        Volatile.Write(ref _target, tasks);
        Volatile.Write(ref _handedOut, 0);
        return _allDeleted.Task;
    }

    /// <inheritdoc />
    public override async Task<IReadOnlyList<ReceivedMessage>> ReceiveMessagesAsync(string queueUrl, ReceiveOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        await Task.Yield();
        var target = Volatile.Read(ref _target);
        var first = Interlocked.Add(ref _handedOut, options.MaxMessages) - options.MaxMessages;
        if (first >= target)
        {
            await Task.Delay(options.WaitTime, cancellationToken).ConfigureAwait(false);
            return [];
        }

        var batch = new ReceivedMessage[Math.Min(options.MaxMessages, target - first)];
        for (var i = 0; i < batch.Length; i++)
        {
            batch[i] = messages[(first + i) % messages.Count];
        }

        return batch;
    }

    /// <inheritdoc />
    public override async Task<BatchResult> DeleteMessageBatchAsync(string queueUrl, IReadOnlyList<ReceiptEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        await Task.Yield();
        var ids = new string[entries.Count];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = entries[i].Id;
        }

        if (Interlocked.Add(ref _deleted, entries.Count) >= Volatile.Read(ref _target))
        {
            _allDeleted.TrySetResult();
        }

        return new BatchResult(ids, []);
    }
}
