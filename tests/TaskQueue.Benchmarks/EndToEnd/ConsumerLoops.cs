using Amazon.SQS;
using Amazon.SQS.Model;

namespace TaskQueue.Benchmarks.EndToEnd;

/// <summary>
/// The hand-written variants' consumers: loops that long-poll for up to a given number of messages and delete
/// what came their own way, run until every task is done. A sequential loop waits for each delete before its next
/// receive; a pipelined one receives again at once and keeps one delete of its own in flight, counting its tasks
/// when it lands (so each loop has at most one receive and one delete under way, as a library poller does).
/// </summary>
internal static class ConsumerLoops
{
    /// <param name="count">How many loops run at once.</param>
    /// <param name="maxMessages">Messages asked for per receive.</param>
    /// <param name="deleteAsync">Deletes the messages of one receive; returns how many were deleted.</param>
    /// <param name="pipelined">Whether the next receive goes out while the last delete is in flight.</param>
    /// <param name="attributes">The system and message attributes each receive asks for; none when null.</param>
    public static async Task RunUntilDoneAsync(
        int count,
        IAmazonSQS sqs,
        string queueUrl,
        int maxMessages,
        Func<List<Message>, Task<int>> deleteAsync,
        DoneCounter done,
        CancellationToken cancellationToken,
        bool pipelined = false,
        (List<string> System, List<string> Message)? attributes = null)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var loops = Enumerable.Range(0, count)
            .Select(_ => Task.Run(() => LoopAsync(sqs, queueUrl, maxMessages, deleteAsync, done, pipelined, attributes, stop.Token), CancellationToken.None))
            .ToList();
        await done.Reached.WaitAsync(cancellationToken).ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(loops).ConfigureAwait(false);
    }

    private static async Task LoopAsync(
        IAmazonSQS sqs,
        string queueUrl,
        int maxMessages,
        Func<List<Message>, Task<int>> deleteAsync,
        DoneCounter done,
        bool pipelined,
        (List<string> System, List<string> Message)? attributes,
        CancellationToken stop)
    {
        Task deleting = Task.CompletedTask;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var received = await sqs.ReceiveMessageAsync(
                    new ReceiveMessageRequest
                    {
                        QueueUrl = queueUrl,
                        MaxNumberOfMessages = maxMessages,
                        WaitTimeSeconds = 2,
                        MessageSystemAttributeNames = attributes?.System,
                        MessageAttributeNames = attributes?.Message,
                    },
                    stop).ConfigureAwait(false);
                if (received.Messages is { Count: > 0 } messages)
                {
                    await deleting.ConfigureAwait(false);
                    deleting = CountWhenDeletedAsync(deleteAsync(messages), done);
                    if (!pipelined)
                    {
                        await deleting.ConfigureAwait(false);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The run is over: a long poll under way was cut short.
        }

        await deleting.ConfigureAwait(false);
    }

    private static async Task CountWhenDeletedAsync(Task<int> deleting, DoneCounter done) => done.Add(await deleting.ConfigureAwait(false));
}
