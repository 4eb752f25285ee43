using System.Globalization;
using FluentAssertions;
using TaskQueue.Sqs;

namespace TaskQueue.IntegrationTests.Worker;

/// <summary>What the worker scenarios do to a queue around the worker: fill it with raw bodies, and count what is left.</summary>
internal static class ScenarioQueue
{
    /// <summary>Sends messages in batches of 10 with unique deduplication ids.</summary>
    public static async Task SendAsync(ISqsClient sqs, string queueUrl, IEnumerable<(string Group, string Body)> messages)
    {
        foreach (var chunk in messages.Chunk(10))
        {
            var entries = chunk.Select((m, i) => new OutgoingMessage($"e{i}", m.Body, m.Group, Guid.NewGuid().ToString("N"))).ToList();
            (await sqs.SendMessageBatchAsync(queueUrl, entries)).Failed.Should().BeEmpty();
        }
    }

    /// <summary>The messages available and in flight, as SQS counts them.</summary>
    public static async Task<(long Available, long InFlight)> CountsAsync(ISqsClient sqs, string queueUrl)
    {
        var attributes = await sqs.GetQueueAttributesAsync(queueUrl, [QueueAttributeNames.ApproximateNumberOfMessages, QueueAttributeNames.ApproximateNumberOfMessagesNotVisible]);
        return (long.Parse(attributes[QueueAttributeNames.ApproximateNumberOfMessages], CultureInfo.InvariantCulture),
            long.Parse(attributes[QueueAttributeNames.ApproximateNumberOfMessagesNotVisible], CultureInfo.InvariantCulture));
    }
}
