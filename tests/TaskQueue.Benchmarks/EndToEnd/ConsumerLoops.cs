using Amazon.SQS;
using Amazon.SQS.Model;

namespace TaskQueue.Benchmarks.EndToEnd;

/// <summary>
/// The hand-written variants' consumers: loops that long-poll for up to a given number of messages and delete
/// what came their own way, run until every task is done.
/// </summary>
internal static class ConsumerLoops
{
    /// <param name="count">How many loops run at once.</param>
    /// <param name="maxMessages">Messages asked for per receive.</param>
    /// <param name="deleteAsync">Deletes the messages of one receive; returns how many were deleted.</param>
    public static async Task RunUntilDoneAsync(
        int count,
        IAmazonSQS sqs,
        string queueUrl,
        int maxMessages,
        Func<List<Message>, Task<int>> deleteAsync,
        DoneCounter done,
        CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var loops = Enumerable.Range(0, count)
            .Select(_ => Task.Run(() => LoopAsync(sqs, queueUrl, maxMessages, deleteAsync, done, stop.Token), CancellationToken.None))
            .ToList();
        await done.Reached.WaitAsync(cancellationToken).ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(loops).ConfigureAwait(false);
    }

    private static async Task LoopAsync(
        IAmazonSQS sqs, string queueUrl, int maxMessages, Func<List<Message>, Task<int>> deleteAsync, DoneCounter done, CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var received = await sqs.ReceiveMessageAsync(
                    new ReceiveMessageRequest { QueueUrl = queueUrl, MaxNumberOfMessages = maxMessages, WaitTimeSeconds = 2 }, stop).ConfigureAwait(false);
                if (received.Messages is { Count: > 0 } messages)
                {
                    done.Add(await deleteAsync(messages).ConfigureAwait(false));
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The run is over: a long poll under way was cut short.
        }
    }
}
