namespace TaskQueue;

/// <summary>The parts of a topic ARN, <c>arn:PARTITION:sns:REGION:ACCOUNT:NAME</c>, that requests need: the region to sign for and the name.</summary>
internal sealed record SnsTopicArn(string Arn, string Region, string Name)
{
    /// <summary>The ARN of a FIFO topic, or an <see cref="ArgumentException"/> that says what is wrong with it.</summary>
    /// <param name="arn">The topic ARN.</param>
    /// <param name="parameterName">The argument that held it.</param>
    public static SnsTopicArn ParseFifo(string arn, string parameterName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(arn, parameterName);
        var parts = arn.Split(':');
        if (parts is not ["arn", { Length: > 0 }, "sns", { Length: > 0 } region, { Length: > 0 }, { Length: > 0 } name])
        {
            throw new ArgumentException(
                $"'{arn}' is not an SNS topic ARN: give it as arn:aws:sns:REGION:ACCOUNT:NAME.fifo (EntityEventTopic.EnsureTopicAsync returns it).", parameterName);
        }

        if (!name.EndsWith(EntityEventTopic.FifoSuffix, StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"'{arn}' is not a FIFO topic: entity events are published in order per entity, which only a FIFO topic (name ending in .fifo) keeps; create one with EntityEventTopic.EnsureTopicAsync.", parameterName);
        }

        return new SnsTopicArn(arn, region, name);
    }
}
