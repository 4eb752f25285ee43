using System.Globalization;
using System.Runtime.CompilerServices;
using FluentAssertions;
using TaskQueue.TestSupport.Backends;
using TaskQueue.Sqs;
using TaskQueue.TestSupport;

namespace TaskQueue.ContractTests.Contracts;

/// <summary>What every contract shares: the backend, fresh queues per test, and send/receive helpers.</summary>
public abstract class SqsContract
{
    /// <summary>Visibility timeout of the test queues: short, so the server half stays fast.</summary>
    protected static readonly TimeSpan Visibility = TimeSpan.FromSeconds(2);

    private int _entry;

    protected SqsContract(ISqsBackend backend) => Backend = backend;

    protected ISqsBackend Backend { get; }

    protected ISqsClient Sqs => Backend.Client;

    /// <summary>A uniquely named FIFO queue with a FIFO dead-letter queue, deleted when disposed.</summary>
    protected Task<TestQueues> CreateQueuesAsync(
        int maxReceiveCount = 3,
        IReadOnlyDictionary<string, string>? attributes = null,
        [CallerMemberName] string testName = "") =>
        TestQueues.CreateAsync(Sqs, maxReceiveCount, Visibility, attributes, testName);

    /// <summary>An entry of a send batch with its own deduplication id.</summary>
    protected OutgoingMessage Message(string group, string body, string? deduplicationId = null, IReadOnlyDictionary<string, string>? attributes = null) =>
        new(NextEntryId(), body, group, deduplicationId ?? Guid.NewGuid().ToString("N"), attributes);

    /// <summary>Sends the messages in one batch and checks that every entry was accepted.</summary>
    protected async Task<SendBatchResult> SendAsync(string queueUrl, params OutgoingMessage[] messages)
    {
        var result = await Sqs.SendMessageBatchAsync(queueUrl, messages);
        result.Failed.Should().BeEmpty("every entry of this batch is valid");
        return result;
    }

    /// <summary>One receive without waiting.</summary>
    protected Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(string queueUrl, int maxMessages = 10, TimeSpan? visibility = null) =>
        Sqs.ReceiveMessagesAsync(queueUrl, new ReceiveOptions(maxMessages, TimeSpan.Zero, visibility));

    /// <summary>
    /// Receives and deletes until <paramref name="count"/> messages came back, and returns them in delivery order.
    /// Some servers return one message per group per receive, others several: this works under both.
    /// </summary>
    protected async Task<List<ReceivedMessage>> ReceiveAndDeleteAsync(string queueUrl, int count)
    {
        var delivered = new List<ReceivedMessage>();
        for (var attempt = 0; attempt < count * 3 && delivered.Count < count; attempt++)
        {
            var batch = await Sqs.ReceiveMessagesAsync(queueUrl, new ReceiveOptions(10, TimeSpan.Zero));
            foreach (var message in batch)
            {
                await Sqs.DeleteMessageAsync(queueUrl, message.ReceiptHandle);
                delivered.Add(message);
            }
        }

        return delivered;
    }

    protected async Task<int> CountAsync(string queueUrl, string attributeName)
    {
        var attributes = await Sqs.GetQueueAttributesAsync(queueUrl, [attributeName]);
        return int.Parse(attributes[attributeName], CultureInfo.InvariantCulture);
    }

    protected string NextEntryId() => "e" + Interlocked.Increment(ref _entry).ToString(CultureInfo.InvariantCulture);
}
