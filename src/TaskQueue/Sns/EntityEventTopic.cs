using Amazon.Extensions.NETCore.Setup;
using Amazon.SQS;
using Amazon.SQS.Model;
using TaskQueue.Sqs;

namespace TaskQueue;

/// <summary>
/// Sets up the SNS FIFO topic that <see cref="SnsEntityEventPublisher"/> publishes entity events to, and the SQS FIFO
/// queues of the services that listen to them. Both calls are idempotent: run them at deployment or start-up.
/// </summary>
public static class EntityEventTopic
{
    internal const string FifoSuffix = ".fifo";

    // SNS's rule for topic names: 1 to 256 characters, letters, digits, hyphens and underscores, ".fifo" included.
    private const int MaxTopicNameLength = 256;

    /// <summary>Creates the FIFO topic for entity events (FifoTopic=true, ContentBasedDeduplication=false), unless it exists.</summary>
    /// <param name="topicName">The topic's name, ending in <c>.fifo</c>, e.g. <c>documents-events.fifo</c>.</param>
    /// <param name="awsOptions">Region, credentials and endpoint, as for <see cref="SnsEntityEventPublisher"/>; null for the SDK's defaults.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The topic's ARN, for <c>PublishEntityEventsToSns</c> and <see cref="SubscribeQueueAsync"/>.</returns>
    /// <exception cref="ArgumentException">The name is not a FIFO topic name SNS accepts.</exception>
    /// <exception cref="TaskQueueException">SNS refused: a topic of that name exists with other attributes, the credentials were refused, or SNS could not be reached (<see cref="TaskQueueException.IsTransient"/>).</exception>
    public static Task<string> EnsureTopicAsync(string topicName, AWSOptions? awsOptions = null, CancellationToken cancellationToken = default)
    {
        CheckTopicName(topicName);
        return CreateFifoTopicAsync(SnsClientFactory.Create(awsOptions, region: null, logger: null, timeProvider: null), topicName, cancellationToken);
    }

    /// <summary>
    /// Subscribes an SQS FIFO queue to the topic with raw message delivery (the queue receives each event's JSON as its
    /// body, with the <c>event_type</c> attribute and the entity's group id), after adding to the queue's policy the
    /// statement that lets the topic send to it, beside those already there.
    /// </summary>
    /// <param name="sqs">The SQS client of the queue's account.</param>
    /// <param name="topicArn">The FIFO topic's ARN.</param>
    /// <param name="queueUrl">The subscribing FIFO queue.</param>
    /// <param name="events">Which events the queue receives: anything but <see cref="EntityEvents.All"/> sets a filter policy on <c>event_type</c>.</param>
    /// <param name="awsOptions">Credentials and endpoint for SNS, as for <see cref="SnsEntityEventPublisher"/>; null for the SDK's defaults.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>The subscription's ARN; the same one when the queue is already subscribed with the same settings.</returns>
    /// <exception cref="ArgumentException">The topic ARN is not a FIFO topic's, the queue is not a FIFO queue, or no events are chosen.</exception>
    /// <exception cref="TaskQueueException">SQS or SNS refused, or could not be reached (<see cref="TaskQueueException.IsTransient"/>).</exception>
    public static Task<string> SubscribeQueueAsync(
        IAmazonSQS sqs,
        string topicArn,
        string queueUrl,
        EntityEvents events = EntityEvents.All,
        AWSOptions? awsOptions = null,
        CancellationToken cancellationToken = default)
    {
        var topic = SnsTopicArn.ParseFifo(topicArn, nameof(topicArn));
        return SubscribeAsync(SnsClientFactory.Create(awsOptions, topic.Region, logger: null, timeProvider: null), sqs, topic, queueUrl, events, cancellationToken);
    }

    internal static Task<string> CreateFifoTopicAsync(SnsClient sns, string topicName, CancellationToken cancellationToken) =>
        sns.CreateTopicAsync(
            topicName,
            new Dictionary<string, string> { ["FifoTopic"] = "true", ["ContentBasedDeduplication"] = "false" },
            cancellationToken);

    internal static async Task<string> SubscribeAsync(
        SnsClient sns, IAmazonSQS sqs, SnsTopicArn topic, string queueUrl, EntityEvents events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sqs);
        ArgumentException.ThrowIfNullOrWhiteSpace(queueUrl);
        if ((events & EntityEvents.All) == EntityEvents.None)
        {
            throw new ArgumentException("No entity events chosen: pass EntityEvents.EntityCompleted, EntityEvents.TaskDeadLettered or both.", nameof(events));
        }

        var queue = await new AwsSqsClient(sqs).GetQueueAttributesAsync(
            queueUrl, [QueueAttributeNames.QueueArn, QueueAttributeNames.FifoQueue, QueueSubscriptionPolicy.Attribute], cancellationToken).ConfigureAwait(false);
        if (!string.Equals(queue.GetValueOrDefault(QueueAttributeNames.FifoQueue), "true", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"Queue {queueUrl} is not a FIFO queue: a FIFO topic delivers only to FIFO queues; subscribe one whose name ends in .fifo.", nameof(queueUrl));
        }

        var queueArn = queue.GetValueOrDefault(QueueAttributeNames.QueueArn)
            ?? throw new TaskQueueException($"Queue {queueUrl} did not return its QueueArn, which the subscription needs.");
        if (QueueSubscriptionPolicy.WithTopicAllowed(queue.GetValueOrDefault(QueueSubscriptionPolicy.Attribute), queueArn, topic.Arn, queueUrl) is { } policy)
        {
            await SetPolicyAsync(sqs, queueUrl, policy, cancellationToken).ConfigureAwait(false);
        }

        var attributes = new Dictionary<string, string> { ["RawMessageDelivery"] = "true" };
        if ((events & EntityEvents.All) != EntityEvents.All)
        {
            attributes["FilterPolicy"] = FilterPolicy(events);
        }

        return await sns.SubscribeAsync(topic.Arn, "sqs", queueArn, attributes, cancellationToken).ConfigureAwait(false);
    }

    private static void CheckTopicName(string topicName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topicName);
        var stem = topicName.EndsWith(FifoSuffix, StringComparison.Ordinal) ? topicName[..^FifoSuffix.Length] : null;
        if (stem is null || stem.Length == 0 || topicName.Length > MaxTopicNameLength || !stem.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw new ArgumentException(
                $"'{topicName}' is not a FIFO topic name SNS accepts: use letters, digits, '-' and '_', at most {MaxTopicNameLength} characters in all, ending in '.fifo'.",
                nameof(topicName));
        }
    }

    /// <summary>The filter policy on <c>event_type</c> that lets only the chosen events through.</summary>
    private static string FilterPolicy(EntityEvents events)
    {
        var types = new List<string>();
        if (events.HasFlag(EntityEvents.EntityCompleted))
        {
            types.Add(SnsEntityEventPublisher.EntityCompletedType);
        }

        if (events.HasFlag(EntityEvents.TaskDeadLettered))
        {
            types.Add(SnsEntityEventPublisher.TaskDeadLetteredType);
        }

        return $"{{\"{SnsEntityEventPublisher.EventTypeAttribute}\":[{string.Join(',', types.Select(t => $"\"{t}\""))}]}}";
    }

    private static async Task SetPolicyAsync(IAmazonSQS sqs, string queueUrl, string policy, CancellationToken cancellationToken)
    {
        const string action = "SetQueueAttributes";
        TaskQueueInstruments.SqsRequests.Add(1, new KeyValuePair<string, object?>("aws.sqs.action", action));
        try
        {
            await sqs.SetQueueAttributesAsync(
                new SetQueueAttributesRequest { QueueUrl = queueUrl, Attributes = new() { [QueueSubscriptionPolicy.Attribute] = policy } },
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (!(error is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            throw SqsErrorTranslator.Translate(error, action, queueUrl);
        }
    }
}
