using Microsoft.Extensions.Options;

namespace TaskQueue;

/// <summary>Rejects <see cref="TaskQueueOptions"/> that SQS would refuse or that make no sense, naming the value and why.</summary>
internal sealed class TaskQueueOptionsValidator : IValidateOptions<TaskQueueOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, TaskQueueOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        if (string.IsNullOrWhiteSpace(options.QueueUrl))
        {
            failures.Add("QueueUrl is required: set it to the URL of the FIFO queue (GetQueueUrl returns it).");
        }
        else if (!Uri.TryCreate(options.QueueUrl, UriKind.Absolute, out _))
        {
            failures.Add($"QueueUrl '{options.QueueUrl}' is not an absolute URL.");
        }

        if (!string.IsNullOrWhiteSpace(options.DeadLetterQueueUrl) && !Uri.TryCreate(options.DeadLetterQueueUrl, UriKind.Absolute, out _))
        {
            failures.Add($"DeadLetterQueueUrl '{options.DeadLetterQueueUrl}' is not an absolute URL.");
        }

        OptionRules.CheckSqsSeconds(failures, nameof(options.WaitTime), options.WaitTime, TimeSpan.Zero, TaskQueueOptions.MaxWaitTime, "SQS long polling waits 0 to 20 seconds");
        OptionRules.CheckSqsSeconds(failures, nameof(options.VisibilityTimeout), options.VisibilityTimeout, TimeSpan.FromSeconds(1), TaskQueueOptions.MaxVisibilityTimeout, "a received task stays hidden 1 s to 12 hours; 0 would hand it to another worker while it runs");
        OptionRules.CheckSqsSeconds(failures, nameof(options.PeekVisibilityTimeout), options.PeekVisibilityTimeout, TimeSpan.FromSeconds(1), TaskQueueOptions.MaxVisibilityTimeout, "peeked messages must stay hidden while a peek pages through them");
        OptionRules.CheckRange(failures, nameof(options.SendRetryDelay), options.SendRetryDelay, TimeSpan.Zero, TimeSpan.FromMinutes(1), "a longer pause holds the enqueue call for minutes");

        var backoff = options.RetryBackoff;
        if (backoff is null)
        {
            failures.Add("RetryBackoff must not be null.");
        }
        else
        {
            OptionRules.CheckSqsSeconds(failures, "RetryBackoff.InitialDelay", backoff.InitialDelay, TimeSpan.Zero, TaskQueueOptions.MaxVisibilityTimeout, "it becomes a visibility timeout");
            OptionRules.CheckSqsSeconds(failures, "RetryBackoff.MaxDelay", backoff.MaxDelay, backoff.InitialDelay, TaskQueueOptions.MaxVisibilityTimeout, "it is at least InitialDelay and becomes a visibility timeout");
            if (!(backoff.Multiplier is >= 1 and <= 10))
            {
                failures.Add($"RetryBackoff.Multiplier is {backoff.Multiplier}: it must be 1 to 10.");
            }
        }

        if (options.MaxMessageBytes is < 1024 or > TaskQueueOptions.MaxSqsMessageBytes)
        {
            failures.Add($"MaxMessageBytes is {options.MaxMessageBytes}: it must be 1,024 to 1,048,576, the range of an SQS queue's MaximumMessageSize.");
        }

        LargePayloadRules.Check(failures, options.LargePayloads, options.MaxMessageBytes);
        MessageAttributeNameRules.Check(failures, options.MessageAttributeNames);

        if (options.SendRetryAttempts is < 0 or > 10)
        {
            failures.Add($"SendRetryAttempts is {options.SendRetryAttempts}: it must be 0 to 10.");
        }

        if (!Enum.IsDefined(options.DeduplicationMode))
        {
            failures.Add($"DeduplicationMode {options.DeduplicationMode} is not one of {string.Join(", ", Enum.GetNames<DeduplicationMode>())}.");
        }

        if (!Enum.IsDefined(options.PoisonMessageHandling))
        {
            failures.Add($"PoisonMessageHandling {options.PoisonMessageHandling} is not one of {string.Join(", ", Enum.GetNames<PoisonMessageHandling>())}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
