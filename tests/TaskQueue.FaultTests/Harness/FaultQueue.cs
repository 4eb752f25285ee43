using System.Diagnostics;
using System.Globalization;
using System.Text;
using TaskQueue.Sqs;

namespace TaskQueue.FaultTests.Harness;

/// <summary>What the scenarios do to a queue directly: send raw bodies, read the counts, wait for a condition.</summary>
internal static class FaultQueue
{
    private const int MaxBatchBytes = 900_000;

    /// <summary>A task body in the wire format; the fault worker records <paramref name="id"/> and runs for <paramref name="milliseconds"/>.</summary>
    public static string TaskBody(string entityId, string taskName, string id, int milliseconds) =>
        $$"""{"entity_id":"{{entityId}}","task_name":"{{taskName}}","task_config":{"id":"{{id}}","ms":{{milliseconds.ToString(CultureInfo.InvariantCulture)}}},"metadata":{},"timestamp":"2026-11-23T10:15:30.123456+00:00","retry_count":0,"total_tasks":1}""";

    /// <summary>
    /// Sends in batches of at most 10 entries and 900 KB, each with a unique deduplication id; four lanes at once, a
    /// group always in the same lane, so each group's messages arrive in the order given.
    /// </summary>
    public static async Task SendAsync(ISqsClient sqs, string queueUrl, IReadOnlyList<(string Group, string Body)> messages)
    {
        var lanes = messages.GroupBy(m => (StringComparer.Ordinal.GetHashCode(m.Group) & int.MaxValue) % 4);
        await Task.WhenAll(lanes.Select(lane => SendLaneAsync(sqs, queueUrl, lane.ToList())));
    }

    private static async Task SendLaneAsync(ISqsClient sqs, string queueUrl, List<(string Group, string Body)> messages)
    {
        var batch = new List<OutgoingMessage>();
        var bytes = 0;
        foreach (var (group, body) in messages)
        {
            var size = Encoding.UTF8.GetByteCount(body);
            if (batch.Count == 10 || (batch.Count > 0 && bytes + size > MaxBatchBytes))
            {
                await SendBatchAsync(sqs, queueUrl, batch);
                batch.Clear();
                bytes = 0;
            }

            batch.Add(new OutgoingMessage(batch.Count.ToString(CultureInfo.InvariantCulture), body, group, Guid.NewGuid().ToString("N")));
            bytes += size;
        }

        if (batch.Count > 0)
        {
            await SendBatchAsync(sqs, queueUrl, batch);
        }
    }

    private static async Task SendBatchAsync(ISqsClient sqs, string queueUrl, List<OutgoingMessage> batch)
    {
        var result = await sqs.SendMessageBatchAsync(queueUrl, batch);
        if (result.Failed.Count > 0)
        {
            throw new InvalidOperationException($"sending test messages failed: {result.Failed[0].Code} {result.Failed[0].Message}");
        }
    }

    /// <summary>Visible, in flight and delayed messages.</summary>
    public static async Task<(long Available, long InFlight, long Delayed)> CountsAsync(ISqsClient sqs, string queueUrl)
    {
        var attributes = await sqs.GetQueueAttributesAsync(queueUrl, [
            QueueAttributeNames.ApproximateNumberOfMessages,
            QueueAttributeNames.ApproximateNumberOfMessagesNotVisible,
            QueueAttributeNames.ApproximateNumberOfMessagesDelayed]);
        long Read(string name) => long.Parse(attributes[name], CultureInfo.InvariantCulture);
        return (Read(QueueAttributeNames.ApproximateNumberOfMessages), Read(QueueAttributeNames.ApproximateNumberOfMessagesNotVisible),
            Read(QueueAttributeNames.ApproximateNumberOfMessagesDelayed));
    }

    public static async Task<bool> IsEmptyAsync(ISqsClient sqs, string queueUrl) => await CountsAsync(sqs, queueUrl) == (0, 0, 0);

    /// <summary>Polls <paramref name="condition"/> every 100 ms; false when <paramref name="timeout"/> passed first.</summary>
    public static async Task<bool> WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var waited = Stopwatch.StartNew();
        while (!await condition())
        {
            if (waited.Elapsed > timeout)
            {
                return false;
            }

            await Task.Delay(100);
        }

        return true;
    }

    public static Task<bool> WaitUntilAsync(Func<bool> condition, TimeSpan timeout) => WaitUntilAsync(() => Task.FromResult(condition()), timeout);

    /// <summary>Receives and deletes every message of a queue nobody else reads; their bodies.</summary>
    public static async Task<List<string>> DrainAsync(ISqsClient sqs, string queueUrl)
    {
        var bodies = new List<string>();
        var emptyReceives = 0;
        while (emptyReceives < 3)
        {
            var messages = await sqs.ReceiveMessagesAsync(queueUrl, new ReceiveOptions(10, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(120)));
            if (messages.Count == 0)
            {
                emptyReceives++;
                continue;
            }

            emptyReceives = 0;
            bodies.AddRange(messages.Select(m => m.Body));
            var deleted = await sqs.DeleteMessageBatchAsync(queueUrl, messages.Select((m, i) => new ReceiptEntry(i.ToString(CultureInfo.InvariantCulture), m.ReceiptHandle)).ToList());
            if (deleted.Failed.Count > 0)
            {
                throw new InvalidOperationException($"draining {queueUrl} failed: {deleted.Failed[0].Code}");
            }
        }

        return bodies;
    }
}
