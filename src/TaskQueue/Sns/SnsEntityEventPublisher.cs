using System.Globalization;
using System.Text;
using Amazon.Extensions.NETCore.Setup;

namespace TaskQueue;

/// <summary>
/// Announces entity events on an SNS FIFO topic, which other services subscribe to with their own SQS FIFO queue:
/// <c>entity.completed</c> when a batch completes and <c>task.dead_lettered</c> when one of its tasks is dead-lettered,
/// as JSON (see docs/ENTITY-EVENTS.md). The MessageGroupId is the entity id (made SQS-safe), so an entity's events
/// arrive in order; the MessageDeduplicationId is derived from the batch id and revision (and the task), so the
/// announcement a worker repeats after a failure is dropped by SNS within its 5-minute window. The message attribute
/// <c>event_type</c> lets a subscription's filter policy pick events. With dependency injection, register it with
/// <c>AddTaskQueue().AddEntityLedger(...).PublishEntityEventsToSns(topicArn)</c>; without, pass it in an
/// <see cref="EntityTracking"/>: <c>new EntityTracking(ledger, [publisher])</c>.
/// </summary>
/// <remarks>A failed publish throws: the worker keeps the task's message and announces again.</remarks>
public sealed class SnsEntityEventPublisher : IEntityCompletionHandler
{
    /// <summary>The <c>type</c> field and <see cref="EventTypeAttribute"/> of a batch's completion.</summary>
    public const string EntityCompletedType = "entity.completed";

    /// <summary>The <c>type</c> field and <see cref="EventTypeAttribute"/> of a dead-lettered task.</summary>
    public const string TaskDeadLetteredType = "task.dead_lettered";

    /// <summary>The message attribute (String) holding the event's type, for subscription filter policies.</summary>
    public const string EventTypeAttribute = "event_type";

    /// <summary>The largest message SNS takes, body and attributes together.</summary>
    internal const int MaxMessageBytes = 262_144;

    private readonly SnsClient _sns;
    private readonly SnsTopicArn _topic;
    private readonly EntityEvents _events;

    /// <summary>Creates a publisher to <paramref name="topicArn"/>, with credentials and endpoint from <paramref name="awsOptions"/>.</summary>
    /// <param name="topicArn">The FIFO topic's ARN (see <see cref="EntityEventTopic.EnsureTopicAsync"/>); requests are signed for its region.</param>
    /// <param name="awsOptions">
    /// Credentials and endpoint, as for the AWS SDK's clients: null for the SDK's chain and AWS's regional endpoint, or
    /// <c>AWS_ENDPOINT_URL_SNS</c>/<c>AWS_ENDPOINT_URL</c> when set; a <c>ServiceURL</c> without credentials gets dummy
    /// ones, which a local server accepts. Credentials are resolved at the first publish.
    /// </param>
    /// <param name="events">Which events to publish; both by default.</param>
    /// <exception cref="ArgumentException"><paramref name="topicArn"/> is not the ARN of a FIFO topic.</exception>
    public SnsEntityEventPublisher(string topicArn, AWSOptions? awsOptions = null, EntityEvents events = EntityEvents.All)
        : this(SnsTopicArn.ParseFifo(topicArn, nameof(topicArn)), topic => SnsClientFactory.Create(awsOptions, topic.Region, logger: null, timeProvider: null), events)
    {
    }

    internal SnsEntityEventPublisher(SnsTopicArn topic, Func<SnsTopicArn, SnsClient> client, EntityEvents events)
    {
        _topic = topic;
        _sns = client(topic);
        _events = events;
    }

    /// <summary>The topic's ARN.</summary>
    public string TopicArn => _topic.Arn;

    /// <summary>The client events go through.</summary>
    internal SnsClient Sns => _sns;

    /// <summary>Publishes <c>entity.completed</c>, unless left out by the events chosen.</summary>
    /// <param name="batch">The completed batch.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when SNS has taken the event.</returns>
    public Task OnEntityCompletedAsync(EntityBatchStatus batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (!_events.HasFlag(EntityEvents.EntityCompleted))
        {
            return Task.CompletedTask;
        }

        var body = EntityEventWriter.EntityCompleted(batch, withTasks: true);
        if (Size(body, EntityCompletedType) > MaxMessageBytes)
        {
            // A batch of very many tasks: the summary still goes; the tasks are read from the ledger.
            body = EntityEventWriter.EntityCompleted(batch, withTasks: false);
        }

        return PublishAsync(
            body,
            batch.EntityId,
            SqsIdentifier.ForDeduplication("entitycompleted", batch.EntityId, batch.BatchId, batch.Revision.ToString(CultureInfo.InvariantCulture)),
            EntityCompletedType,
            cancellationToken);
    }

    /// <summary>Publishes <c>task.dead_lettered</c>, unless left out by the events chosen.</summary>
    /// <param name="fate">The dead-lettered task.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when SNS has taken the event.</returns>
    public Task OnTaskDeadLetteredAsync(TaskFate fate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fate);
        if (!_events.HasFlag(EntityEvents.TaskDeadLettered))
        {
            return Task.CompletedTask;
        }

        // The fate carries no batch revision; its attempts stand in. A repeated announcement has the same attempts and is
        // dropped; so is, within SNS's 5 minutes, the same task dead-lettered again after a redrive at the same attempt.
        return PublishAsync(
            EntityEventWriter.TaskDeadLettered(fate),
            fate.EntityId,
            SqsIdentifier.ForDeduplication("taskdeadlettered", fate.EntityId, fate.BatchId, fate.TaskName, fate.Attempts.ToString(CultureInfo.InvariantCulture)),
            TaskDeadLetteredType,
            cancellationToken);
    }

    /// <summary>The MessageGroupId of an entity's events: its id where SQS accepts it, else a stable hash.</summary>
    internal static string GroupId(string entityId) => SqsIdentifier.MakeSafe(entityId);

    private async Task PublishAsync(string body, string entityId, string deduplicationId, string eventType, CancellationToken cancellationToken)
    {
        var message = new SnsMessage(body, GroupId(entityId), deduplicationId, new Dictionary<string, string> { [EventTypeAttribute] = eventType });
        await _sns.PublishAsync(_topic.Arn, message, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What SNS counts against its limit: the body and each attribute's name, type and value.</summary>
    private static int Size(string body, string eventType) =>
        Encoding.UTF8.GetByteCount(body) + EventTypeAttribute.Length + "String".Length + eventType.Length;
}
