using TaskQueue.Sqs;
using TaskQueue.Testing;

namespace TaskQueue.Benchmarks.EndToEnd;

/// <summary>
/// An <see cref="ISqsClient"/> that passes every call on and counts the messages whose delete succeeded, so the
/// benchmark stops its clock when the last task is done: deleted, not just run. A plain subclass rather than a
/// reflection proxy, whose cost per call would be billed to the library's figures.
/// </summary>
public sealed class DeleteObserver(ISqsClient inner, DoneCounter done) : DelegatingSqsClient(inner)
{
    /// <summary>Wraps <paramref name="inner"/>.</summary>
    public static ISqsClient Wrap(ISqsClient inner, DoneCounter done) => new DeleteObserver(inner, done);

    /// <inheritdoc />
    public override async Task<BatchResult> DeleteMessageBatchAsync(string queueUrl, IReadOnlyList<ReceiptEntry> entries, CancellationToken cancellationToken = default)
    {
        var result = await Inner.DeleteMessageBatchAsync(queueUrl, entries, cancellationToken).ConfigureAwait(false);
        done.Add(result.SuccessfulIds.Count);
        return result;
    }

    /// <inheritdoc />
    public override async Task DeleteMessageAsync(string queueUrl, string receiptHandle, CancellationToken cancellationToken = default)
    {
        await Inner.DeleteMessageAsync(queueUrl, receiptHandle, cancellationToken).ConfigureAwait(false);
        done.Add(1);
    }
}
