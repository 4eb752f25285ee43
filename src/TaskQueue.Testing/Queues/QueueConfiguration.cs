using System.Globalization;
using TaskQueue.Sqs;

namespace TaskQueue.Testing;

/// <summary>A queue's configured attributes, parsed and checked against the ranges SQS enforces.</summary>
internal sealed record QueueConfiguration(
    bool IsFifo,
    int VisibilityTimeoutSeconds,
    int MessageRetentionPeriodSeconds,
    int MaximumMessageSize,
    int DelaySeconds,
    int ReceiveMessageWaitTimeSeconds,
    bool ContentBasedDeduplication,
    RedrivePolicy? RedrivePolicy,
    IReadOnlyDictionary<string, string> PassThroughAttributes)
{
    private const string FifoSuffix = ".fifo";

    /// <summary>Attributes SQS accepts that change nothing in memory; they are kept and reported back.</summary>
    private static readonly HashSet<string> PassThroughNames = new(StringComparer.Ordinal)
    {
        "Policy", "KmsMasterKeyId", "KmsDataKeyReusePeriodSeconds", "SqsManagedSseEnabled",
        "DeduplicationScope", "FifoThroughputLimit", "RedriveAllowPolicy",
    };

    /// <summary>True with <c>DeduplicationScope=messageGroup</c>: a deduplication id is unique within its message group only.</summary>
    public bool DeduplicatesPerGroup =>
        PassThroughAttributes.TryGetValue(QueueAttributeNames.DeduplicationScope, out var scope) && scope == "messageGroup";

    public TimeSpan VisibilityTimeout => TimeSpan.FromSeconds(VisibilityTimeoutSeconds);

    public TimeSpan RetentionPeriod => TimeSpan.FromSeconds(MessageRetentionPeriodSeconds);

    public TimeSpan Delay => TimeSpan.FromSeconds(DelaySeconds);

    /// <summary>Parses CreateQueue attributes; missing ones take the SQS defaults.</summary>
    /// <exception cref="SqsRequestException">A name, an attribute or a value SQS would reject.</exception>
    public static QueueConfiguration Parse(string queueName, IReadOnlyDictionary<string, string> attributes)
    {
        ValidateQueueName(queueName);
        var fifoByName = queueName.EndsWith(FifoSuffix, StringComparison.Ordinal);
        var fifoByAttribute = attributes.TryGetValue(QueueAttributeNames.FifoQueue, out var fifoText) && ParseBool(QueueAttributeNames.FifoQueue, fifoText);
        if (fifoByName != fifoByAttribute)
        {
            throw SqsErrors.Request(
                SqsErrors.InvalidParameterValue,
                fifoByName
                    ? $"Queue '{queueName}' ends in '.fifo' but FifoQueue is not \"true\": set FifoQueue=true or drop the suffix."
                    : $"Queue '{queueName}' has FifoQueue=true but its name does not end in '.fifo': FIFO queue names must end in '.fifo'.");
        }

        var passThrough = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in attributes)
        {
            if (PassThroughNames.Contains(name))
            {
                passThrough[name] = value;
            }
            else if (!IsConfigurable(name))
            {
                throw SqsErrors.Request(SqsErrors.InvalidAttributeName, $"Unknown queue attribute '{name}' in CreateQueue for '{queueName}'.");
            }
        }

        var contentBased = attributes.TryGetValue(QueueAttributeNames.ContentBasedDeduplication, out var cbdText)
            && ParseBool(QueueAttributeNames.ContentBasedDeduplication, cbdText);
        if (contentBased && !fifoByName)
        {
            throw SqsErrors.Request(SqsErrors.InvalidAttributeName, $"ContentBasedDeduplication is only valid on FIFO queues, not on '{queueName}'.");
        }

        ValidateThroughputMode(queueName, fifoByName, attributes);
        return new QueueConfiguration(
            fifoByName,
            ReadInt(attributes, QueueAttributeNames.VisibilityTimeout, 30, 0, 43_200),
            ReadInt(attributes, QueueAttributeNames.MessageRetentionPeriod, 345_600, 60, 1_209_600),
            ReadInt(attributes, QueueAttributeNames.MaximumMessageSize, 1_048_576, 1_024, 1_048_576),
            ReadInt(attributes, QueueAttributeNames.DelaySeconds, 0, 0, 900),
            ReadInt(attributes, QueueAttributeNames.ReceiveMessageWaitTimeSeconds, 0, 0, 20),
            contentBased,
            attributes.TryGetValue(QueueAttributeNames.RedrivePolicy, out var redrive) && !string.IsNullOrEmpty(redrive)
                ? RedrivePolicy.Parse(redrive)
                : null,
            passThrough);
    }

    /// <summary>The configured attributes as GetQueueAttributes reports them.</summary>
    public Dictionary<string, string> ToAttributes()
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [QueueAttributeNames.VisibilityTimeout] = Text(VisibilityTimeoutSeconds),
            [QueueAttributeNames.MessageRetentionPeriod] = Text(MessageRetentionPeriodSeconds),
            [QueueAttributeNames.MaximumMessageSize] = Text(MaximumMessageSize),
            [QueueAttributeNames.DelaySeconds] = Text(DelaySeconds),
            [QueueAttributeNames.ReceiveMessageWaitTimeSeconds] = Text(ReceiveMessageWaitTimeSeconds),
        };
        if (IsFifo)
        {
            attributes[QueueAttributeNames.FifoQueue] = "true";
            attributes[QueueAttributeNames.ContentBasedDeduplication] = ContentBasedDeduplication ? "true" : "false";
            attributes[QueueAttributeNames.DeduplicationScope] = "queue";
            attributes[QueueAttributeNames.FifoThroughputLimit] = "perQueue";
        }

        if (RedrivePolicy is not null)
        {
            attributes[QueueAttributeNames.RedrivePolicy] = RedrivePolicy.ToJson();
        }

        foreach (var (name, value) in PassThroughAttributes)
        {
            attributes[name] = value;
        }

        return attributes;
    }

    /// <summary>The first attribute of <paramref name="requested"/> whose value differs from this configuration, or null.</summary>
    public string? FirstDifference(IReadOnlyDictionary<string, string> requested, QueueConfiguration requestedConfiguration)
    {
        var mine = ToAttributes();
        var theirs = requestedConfiguration.ToAttributes();
        foreach (var name in requested.Keys)
        {
            mine.TryGetValue(name, out var current);
            theirs.TryGetValue(name, out var wanted);
            if (!string.Equals(current, wanted, StringComparison.Ordinal))
            {
                return name;
            }
        }

        return null;
    }

    private static bool IsConfigurable(string name) => name is
        QueueAttributeNames.FifoQueue or QueueAttributeNames.ContentBasedDeduplication or QueueAttributeNames.VisibilityTimeout
        or QueueAttributeNames.MessageRetentionPeriod or QueueAttributeNames.MaximumMessageSize or QueueAttributeNames.DelaySeconds
        or QueueAttributeNames.ReceiveMessageWaitTimeSeconds or QueueAttributeNames.RedrivePolicy;

    /// <summary>SQS's rules for the high-throughput attributes: FIFO only, known values, and perMessageGroupId only with messageGroup scope.</summary>
    private static void ValidateThroughputMode(string queueName, bool isFifo, IReadOnlyDictionary<string, string> attributes)
    {
        var scope = attributes.GetValueOrDefault(QueueAttributeNames.DeduplicationScope);
        var limit = attributes.GetValueOrDefault(QueueAttributeNames.FifoThroughputLimit);
        if ((scope is not null || limit is not null) && !isFifo)
        {
            throw SqsErrors.Request(
                SqsErrors.InvalidAttributeName, $"DeduplicationScope and FifoThroughputLimit are only valid on FIFO queues, not on '{queueName}'.");
        }

        if (scope is not (null or "queue" or "messageGroup") || limit is not (null or "perQueue" or "perMessageGroupId"))
        {
            throw SqsErrors.Request(
                SqsErrors.InvalidAttributeValue,
                $"DeduplicationScope must be queue or messageGroup and FifoThroughputLimit perQueue or perMessageGroupId, not '{scope}' and '{limit}'.");
        }

        if (limit == "perMessageGroupId" && scope != "messageGroup")
        {
            throw SqsErrors.Request(
                SqsErrors.InvalidAttributeValue,
                $"FifoThroughputLimit=perMessageGroupId on '{queueName}' needs DeduplicationScope=messageGroup: set both for high throughput.");
        }
    }

    private static void ValidateQueueName(string queueName)
    {
        var baseName = queueName.EndsWith(FifoSuffix, StringComparison.Ordinal) ? queueName[..^FifoSuffix.Length] : queueName;
        if (queueName.Length is 0 or > 80 || baseName.Length == 0 || !baseName.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw SqsErrors.Request(
                SqsErrors.InvalidParameterValue,
                $"Queue name '{queueName}' is invalid: use 1 to 80 letters, digits, '-' and '_' (FIFO names end in '.fifo').");
        }
    }

    private static bool ParseBool(string name, string text) =>
        bool.TryParse(text, out var value)
            ? value
            : throw SqsErrors.Request(SqsErrors.InvalidAttributeValue, $"Queue attribute {name} must be \"true\" or \"false\", not '{text}'.");

    private static int ReadInt(IReadOnlyDictionary<string, string> attributes, string name, int defaultValue, int min, int max)
    {
        if (!attributes.TryGetValue(name, out var text))
        {
            return defaultValue;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw SqsErrors.Request(
                SqsErrors.InvalidAttributeValue,
                string.Create(CultureInfo.InvariantCulture, $"Queue attribute {name} must be a whole number from {min} to {max}, not '{text}'."));
        }

        return value;
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
