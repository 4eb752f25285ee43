using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.SQS;
using TaskQueue.Sqs;

namespace TaskQueue;

/// <summary>
/// Creates a FIFO task queue and its FIFO dead-letter queue with a redrive policy, idempotently. A
/// queue that already exists is never changed: where its attributes differ from the definition, the
/// differences are reported, so a deployment notices instead of silently going on.
/// </summary>
/// <param name="sqs">The SQS client.</param>
public sealed class QueueProvisioner(ISqsClient sqs)
{
    private const string NormalDeduplicationScope = "queue";
    private const string NormalThroughputLimit = "perQueue";

    /// <summary>A provisioner over the AWS SDK's client, configured as usual (region, credentials, <c>AWS_ENDPOINT_URL_SQS</c>).</summary>
    /// <param name="sqs">The AWS SDK's SQS client.</param>
    public QueueProvisioner(IAmazonSQS sqs)
        : this(new AwsSqsClient(sqs))
    {
    }

    /// <summary>Creates what is missing and compares what exists.</summary>
    /// <param name="definition">The queues wanted.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>Both URLs, what was created and what differs.</returns>
    /// <exception cref="ArgumentException">A name or value of the definition is one SQS would reject.</exception>
    public async Task<ProvisionedQueues> EnsureQueuesAsync(QueueDefinition definition, CancellationToken cancellationToken = default)
    {
        QueueDefinitionRules.Check(definition);
        var created = new List<string>();
        var differences = new List<QueueAttributeDifference>();

        var dlqName = definition.EffectiveDeadLetterQueueName;
        var dlqUrl = await EnsureQueueAsync(dlqName, DeadLetterAttributes(definition), created, differences, cancellationToken).ConfigureAwait(false);
        var dlqArn = (await sqs.GetQueueAttributesAsync(dlqUrl, [QueueAttributeNames.QueueArn], cancellationToken).ConfigureAwait(false))
            .GetValueOrDefault(QueueAttributeNames.QueueArn)
            ?? throw new TaskQueueException($"Queue {dlqUrl} did not return its QueueArn, which the redrive policy needs.");
        var queueUrl = await EnsureQueueAsync(definition.QueueName, QueueAttributes(definition, dlqArn), created, differences, cancellationToken).ConfigureAwait(false);

        return new ProvisionedQueues(queueUrl, dlqUrl, created, differences);
    }

    private async Task<string> EnsureQueueAsync(
        string name, Dictionary<string, string> wanted, List<string> created, List<QueueAttributeDifference> differences, CancellationToken cancellationToken)
    {
        string url;
        try
        {
            url = await sqs.GetQueueUrlAsync(name, cancellationToken).ConfigureAwait(false);
        }
        catch (QueueDoesNotExistException)
        {
            url = await sqs.CreateQueueAsync(name, WithoutNormalThroughputMode(wanted), cancellationToken).ConfigureAwait(false);
            created.Add(name);
            return url;
        }

        var actual = await sqs.GetQueueAttributesAsync(url, [QueueAttributeNames.All], cancellationToken).ConfigureAwait(false);
        foreach (var (attribute, expected) in wanted)
        {
            var value = actual.GetValueOrDefault(attribute);
            if (!SameValue(attribute, expected, value))
            {
                differences.Add(new QueueAttributeDifference(name, attribute, expected, value));
            }
        }

        return url;
    }

    private static bool SameValue(string attribute, string expected, string? actual)
    {
        if (actual is null)
        {
            // Some servers leave out FIFO attributes at their defaults; absent means the default there.
            return DefaultOfFifoAttribute(attribute) == expected;
        }

        if (attribute == QueueAttributeNames.RedrivePolicy)
        {
            return RedrivePolicyEquals(expected, actual);
        }

        return string.Equals(expected, actual, StringComparison.OrdinalIgnoreCase);
    }

    private static string? DefaultOfFifoAttribute(string attribute) => attribute switch
    {
        QueueAttributeNames.ContentBasedDeduplication => "false",
        QueueAttributeNames.DeduplicationScope => NormalDeduplicationScope,
        QueueAttributeNames.FifoThroughputLimit => NormalThroughputLimit,
        _ => null,
    };

    private static bool RedrivePolicyEquals(string expected, string actual)
    {
        try
        {
            using var a = JsonDocument.Parse(expected);
            using var b = JsonDocument.Parse(actual);
            return Field(a, "deadLetterTargetArn") == Field(b, "deadLetterTargetArn") && Field(a, "maxReceiveCount") == Field(b, "maxReceiveCount");
        }
        catch (JsonException)
        {
            return false;
        }

        // maxReceiveCount comes back as a number from some servers and a string from others.
        static string? Field(JsonDocument document, string name) =>
            document.RootElement.TryGetProperty(name, out var value)
                ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()
                : null;
    }

    private static Dictionary<string, string> DeadLetterAttributes(QueueDefinition definition) => WithThroughputMode(definition, new()
    {
        [QueueAttributeNames.FifoQueue] = "true",
        [QueueAttributeNames.MessageRetentionPeriod] = Seconds(definition.DeadLetterRetention),
    });

    private static Dictionary<string, string> QueueAttributes(QueueDefinition definition, string dlqArn) => WithThroughputMode(definition, new()
    {
        [QueueAttributeNames.FifoQueue] = "true",
        [QueueAttributeNames.VisibilityTimeout] = Seconds(definition.VisibilityTimeout),
        [QueueAttributeNames.MessageRetentionPeriod] = Seconds(definition.MessageRetention),
        [QueueAttributeNames.ContentBasedDeduplication] = definition.ContentBasedDeduplication ? "true" : "false",
        [QueueAttributeNames.RedrivePolicy] = new JsonObject
        {
            ["deadLetterTargetArn"] = dlqArn,
            ["maxReceiveCount"] = definition.MaxReceiveCount,
        }.ToJsonString(),
    });

    /// <summary>Both throughput attributes, always, so an existing queue in the other mode is reported as different.</summary>
    private static Dictionary<string, string> WithThroughputMode(QueueDefinition definition, Dictionary<string, string> attributes)
    {
        attributes[QueueAttributeNames.DeduplicationScope] = definition.HighThroughput ? "messageGroup" : NormalDeduplicationScope;
        attributes[QueueAttributeNames.FifoThroughputLimit] = definition.HighThroughput ? "perMessageGroupId" : NormalThroughputLimit;
        return attributes;
    }

    /// <summary>A queue in normal mode is created without the throughput attributes: their defaults, and servers that do not know them accept it.</summary>
    private static Dictionary<string, string> WithoutNormalThroughputMode(Dictionary<string, string> wanted) =>
        wanted.Where(pair => DefaultOfFifoAttribute(pair.Key) != pair.Value || pair.Key == QueueAttributeNames.ContentBasedDeduplication)
            .ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);

    private static string Seconds(TimeSpan value) => ((long)value.TotalSeconds).ToString(CultureInfo.InvariantCulture);
}
