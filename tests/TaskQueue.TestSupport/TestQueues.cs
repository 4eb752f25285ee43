using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using TaskQueue.Sqs;

namespace TaskQueue.TestSupport;

/// <summary>
/// A uniquely named FIFO queue and its FIFO dead-letter queue, created for one test through any
/// <see cref="ISqsClient"/> (the local server or the in-memory SQS) and deleted on dispose.
/// </summary>
public sealed class TestQueues : IAsyncDisposable
{
    private const int MaxQueueNameLength = 80;
    private const string DeadLetterSuffix = "-dlq.fifo";

    private readonly ISqsClient _sqs;

    private TestQueues(ISqsClient sqs, string queueName, string queueUrl, string deadLetterQueueName, string deadLetterQueueUrl)
    {
        _sqs = sqs;
        QueueName = queueName;
        QueueUrl = queueUrl;
        DeadLetterQueueName = deadLetterQueueName;
        DeadLetterQueueUrl = deadLetterQueueUrl;
    }

    /// <summary>The work queue's name, <c>t-{test}-{guid8}.fifo</c>.</summary>
    public string QueueName { get; }

    /// <summary>The work queue's URL.</summary>
    public string QueueUrl { get; }

    /// <summary>The dead-letter queue's name, <c>t-{test}-{guid8}-dlq.fifo</c>.</summary>
    public string DeadLetterQueueName { get; }

    /// <summary>The dead-letter queue's URL.</summary>
    public string DeadLetterQueueUrl { get; }

    /// <summary>Creates the dead-letter queue, then the work queue redriving to it.</summary>
    /// <param name="sqs">The SQS to create them in.</param>
    /// <param name="maxReceiveCount">Receives after which a message moves to the dead-letter queue.</param>
    /// <param name="visibilityTimeout">The work queue's default visibility timeout; 30 s when null.</param>
    /// <param name="attributes">More work-queue attributes, e.g. <c>ContentBasedDeduplication</c>.</param>
    /// <param name="testName">Part of the names, so a leftover queue tells which test made it.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>The queues; dispose them to delete both.</returns>
    public static async Task<TestQueues> CreateAsync(
        ISqsClient sqs,
        int maxReceiveCount = 3,
        TimeSpan? visibilityTimeout = null,
        IReadOnlyDictionary<string, string>? attributes = null,
        [CallerMemberName] string testName = "",
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sqs);
        var baseName = BaseName(testName);
        var queueName = baseName + ".fifo";
        var deadLetterQueueName = baseName + DeadLetterSuffix;

        var fifo = new Dictionary<string, string> { [QueueAttributeNames.FifoQueue] = "true" };
        var deadLetterQueueUrl = await sqs.CreateQueueAsync(deadLetterQueueName, fifo, cancellationToken);
        var deadLetterAttributes = await sqs.GetQueueAttributesAsync(deadLetterQueueUrl, [QueueAttributeNames.QueueArn], cancellationToken);

        var queueAttributes = new Dictionary<string, string>(attributes ?? new Dictionary<string, string>())
        {
            [QueueAttributeNames.FifoQueue] = "true",
            [QueueAttributeNames.VisibilityTimeout] =
                ((int)(visibilityTimeout ?? TimeSpan.FromSeconds(30)).TotalSeconds).ToString(CultureInfo.InvariantCulture),
            [QueueAttributeNames.RedrivePolicy] = JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["deadLetterTargetArn"] = deadLetterAttributes[QueueAttributeNames.QueueArn],
                ["maxReceiveCount"] = maxReceiveCount,
            }),
        };
        var queueUrl = await sqs.CreateQueueAsync(queueName, queueAttributes, cancellationToken);
        return new TestQueues(sqs, queueName, queueUrl, deadLetterQueueName, deadLetterQueueUrl);
    }

    /// <summary>Deletes both queues; a queue already gone, or a failing delete, does not fail the test.</summary>
    /// <returns>A task that completes when both deletes were tried.</returns>
    public async ValueTask DisposeAsync()
    {
        foreach (var url in new[] { QueueUrl, DeadLetterQueueUrl })
        {
            try
            {
                await _sqs.DeleteQueueAsync(url);
            }
            catch (TaskQueueException)
            {
                // Cleanup is best effort: an exception here would hide the test's own outcome.
            }
        }
    }

    private static string BaseName(string testName)
    {
        var name = new StringBuilder("t-");
        foreach (var c in testName)
        {
            name.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-');
        }

        var unique = "-" + Guid.NewGuid().ToString("N")[..8];
        var room = MaxQueueNameLength - DeadLetterSuffix.Length - unique.Length;
        return (name.Length > room ? name.ToString(0, room) : name.ToString()) + unique;
    }
}
