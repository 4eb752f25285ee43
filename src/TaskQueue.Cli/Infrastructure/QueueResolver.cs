using TaskQueue.Sqs;

namespace TaskQueue.Cli.Infrastructure;

/// <summary>Turns a queue argument, a URL or a name (<c>.fifo</c> may be left out), into the queue's URL.</summary>
internal static class QueueResolver
{
    public static async Task<string> ResolveAsync(ISqsClient sqs, string queue, CancellationToken cancellationToken)
    {
        if (queue.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || queue.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            return queue;
        }

        try
        {
            return await sqs.GetQueueUrlAsync(queue, cancellationToken).ConfigureAwait(false);
        }
        catch (QueueDoesNotExistException) when (!queue.EndsWith(".fifo", StringComparison.Ordinal))
        {
            return await TryFifoNameAsync(sqs, queue, cancellationToken).ConfigureAwait(false);
        }
        catch (QueueDoesNotExistException)
        {
            throw NotFound(queue);
        }
    }

    /// <summary>The name of the queue at a URL: its last path segment.</summary>
    public static string NameOf(string queueUrl) => queueUrl.TrimEnd('/')[(queueUrl.TrimEnd('/').LastIndexOf('/') + 1)..];

    private static async Task<string> TryFifoNameAsync(ISqsClient sqs, string queue, CancellationToken cancellationToken)
    {
        try
        {
            return await sqs.GetQueueUrlAsync(queue + ".fifo", cancellationToken).ConfigureAwait(false);
        }
        catch (QueueDoesNotExistException)
        {
            throw NotFound(queue);
        }
    }

    // The same error, and so the same exit code, as a queue named by a URL that does not exist.
    private static QueueDoesNotExistException NotFound(string queue) =>
        new($"queue '{queue}' does not exist: check the name (see `taskqueue queues list`), --endpoint and --region");
}
