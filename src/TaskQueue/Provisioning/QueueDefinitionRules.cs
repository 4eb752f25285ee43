using System.Text.RegularExpressions;
using TaskQueue.Sqs;

namespace TaskQueue;

/// <summary>Checks a <see cref="QueueDefinition"/> against SQS's rules before any request.</summary>
internal static partial class QueueDefinitionRules
{
    // 75 characters and ".fifo": SqsLimits.MaxQueueNameLength.
    [GeneratedRegex("^[A-Za-z0-9_-]{1,75}\\.fifo$")]
    private static partial Regex FifoQueueName();

    public static void Check(QueueDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        CheckName(definition.QueueName, nameof(definition.QueueName));
        CheckName(definition.EffectiveDeadLetterQueueName, nameof(definition.DeadLetterQueueName));
        if (definition.MaxReceiveCount is < 1 or > 1000)
        {
            throw new ArgumentException($"MaxReceiveCount is {definition.MaxReceiveCount}: SQS takes 1 to 1,000.", nameof(definition));
        }

        CheckRange(definition.VisibilityTimeout, TimeSpan.Zero, SqsLimits.MaxVisibilityTimeout, nameof(definition.VisibilityTimeout));
        CheckRange(definition.MessageRetention, TimeSpan.FromSeconds(60), TimeSpan.FromDays(14), nameof(definition.MessageRetention));
        CheckRange(definition.DeadLetterRetention, TimeSpan.FromSeconds(60), TimeSpan.FromDays(14), nameof(definition.DeadLetterRetention));
    }

    private static void CheckName(string name, string what)
    {
        if (name is null || !FifoQueueName().IsMatch(name))
        {
            throw new ArgumentException(
                $"{what} '{name}' is not a FIFO queue name: use at most {SqsLimits.MaxQueueNameLength} letters, digits, '-' and '_', ending in '.fifo'.", nameof(name));
        }
    }

    private static void CheckRange(TimeSpan value, TimeSpan min, TimeSpan max, string what)
    {
        if (value < min || value > max)
        {
            throw new ArgumentException($"{what} is {value.TotalSeconds:0} s: SQS takes {min.TotalSeconds:0} to {max.TotalSeconds:0} s.", what);
        }
    }
}
