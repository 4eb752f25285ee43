using TaskQueue.Sqs;

namespace TaskQueue.Samples.WorkerService;

/// <summary>
/// Another service's side of the entity events, in this process for the demonstration: its own FIFO queue, subscribed
/// to the topic when the host starts (before the worker, so no event is missed), read and printed until it stops.
/// </summary>
internal sealed partial class EntityEventListener(
    ISqsClient sqs, Amazon.SQS.IAmazonSQS sdk, EntityEventSettings settings, ILogger<EntityEventListener> logger) : BackgroundService
{
    private string? _queueUrl;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        _queueUrl = await sqs.CreateQueueAsync(settings.ListenerQueueName, new Dictionary<string, string> { [QueueAttributeNames.FifoQueue] = "true" }, cancellationToken);
        await EntityEventTopic.SubscribeQueueAsync(sdk, settings.TopicArn, _queueUrl, awsOptions: settings.Aws, cancellationToken: cancellationToken);
        LogSubscribed(logger, _queueUrl, settings.TopicArn);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            IReadOnlyList<ReceivedMessage> messages;
            try
            {
                messages = await sqs.ReceiveMessagesAsync(_queueUrl!, new ReceiveOptions(10, TimeSpan.FromSeconds(10)), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            foreach (var message in messages)
            {
                // Raw delivery: the body is the event's JSON; its type is also the event_type attribute, its group the entity.
                Console.WriteLine($"entity event {message.Attributes.GetValueOrDefault(SnsEntityEventPublisher.EventTypeAttribute)} of {message.MessageGroupId}: {message.Body}");
                await sqs.DeleteMessageAsync(_queueUrl!, message.ReceiptHandle, CancellationToken.None);
            }
        }
    }

    [LoggerMessage(LogLevel.Information, "Queue {QueueUrl} subscribed to the entity events of {TopicArn}")]
    private static partial void LogSubscribed(ILogger logger, string queueUrl, string topicArn);
}

/// <summary>The topic the worker publishes to, and the listener's queue and AWS options.</summary>
internal sealed record EntityEventSettings(string TopicArn, string ListenerQueueName, Amazon.Extensions.NETCore.Setup.AWSOptions Aws);
