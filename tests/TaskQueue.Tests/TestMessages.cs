using Microsoft.Extensions.Options;
using Moq;
using TaskQueue.Sqs;

namespace TaskQueue.Tests;

/// <summary>Builders shared by the unit tests: options, received messages, and a mocked seam that accepts every send.</summary>
internal static class TestMessages
{
    public const string QueueUrl = "https://sqs.us-east-1.amazonaws.com/123456789012/tasks.fifo";
    public const string DlqUrl = "https://sqs.us-east-1.amazonaws.com/123456789012/tasks-dlq.fifo";

    public static IOptions<TaskQueueOptions> Options(Action<TaskQueueOptions>? configure = null)
    {
        var options = new TaskQueueOptions { QueueUrl = QueueUrl, SendRetryDelay = TimeSpan.Zero };

        // Delays exactly as the backoff computes them; the jitter's own tests draw from a random they inject.
        options.RetryBackoff.Jitter = BackoffJitter.None;
        configure?.Invoke(options);
        return Microsoft.Extensions.Options.Options.Create(options);
    }

    public static ReceivedMessage Received(string body, int receiveCount = 1, string messageId = "m-1", string receipt = "r-1", string group = "doc-1-title") =>
        new(messageId, receipt, body, new Dictionary<string, string>(), new Dictionary<string, string>
        {
            [SystemAttributeNames.ApproximateReceiveCount] = receiveCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [SystemAttributeNames.MessageGroupId] = group,
        });

    public static string TaskBody(string entityId = "doc-1", string taskName = "title", string config = "{\"lang\":\"en\"}") =>
        $$"""{"entity_id":"{{entityId}}","task_name":"{{taskName}}","task_config":{{config}},"metadata":{"tenant":"t1"},"timestamp":"2026-11-23T10:15:30.123456+00:00","retry_count":0,"total_tasks":3}""";

    /// <summary>A seam whose sends all succeed; every batch sent is recorded in <paramref name="batches"/>.</summary>
    public static Mock<ISqsClient> AcceptingSqs(List<IReadOnlyList<OutgoingMessage>> batches)
    {
        var sqs = new Mock<ISqsClient>(MockBehavior.Strict);
        sqs.Setup(s => s.SendMessageBatchAsync(It.IsAny<string>(), It.IsAny<IReadOnlyList<OutgoingMessage>>(), It.IsAny<CancellationToken>()))
            .Callback((string _, IReadOnlyList<OutgoingMessage> entries, CancellationToken _) => batches.Add(entries))
            .ReturnsAsync((string _, IReadOnlyList<OutgoingMessage> entries, CancellationToken _) =>
                new SendBatchResult(entries.Select(e => new SentMessage(e.Id, "msg-" + e.MessageGroupId)).ToList(), []));
        return sqs;
    }

    /// <summary>Every DeleteMessageBatch call succeeds for all its entries.</summary>
    public static void DeletesSucceed(this Mock<ISqsClient> sqs, Action? onDelete = null) =>
        sqs.Setup(s => s.DeleteMessageBatchAsync(It.IsAny<string>(), It.IsAny<IReadOnlyList<ReceiptEntry>>(), It.IsAny<CancellationToken>()))
            .Callback(() => onDelete?.Invoke())
            .ReturnsAsync((string _, IReadOnlyList<ReceiptEntry> entries, CancellationToken _) => new BatchResult(entries.Select(e => e.Id).ToList(), []));

    public static void ReturnsOnReceive(this Mock<ISqsClient> sqs, params ReceivedMessage[] messages) =>
        sqs.Setup(s => s.ReceiveMessagesAsync(QueueUrl, It.IsAny<ReceiveOptions>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(messages);
}
