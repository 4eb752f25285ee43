using System.Text.Json;
using TaskQueue.Sqs;

namespace TaskQueue;

/// <summary>
/// Reads the source queue's RedrivePolicy: where dead letters go (the configured URL, or the policy's target) and after how
/// many receives SQS moves a task there. What was found is kept; what is missing is looked up again next time, since the
/// policy may be added later.
/// </summary>
internal sealed class DeadLetterQueueLocator(ISqsClient sqs, TaskQueueOptions options)
{
    private string? _url = string.IsNullOrWhiteSpace(options.DeadLetterQueueUrl) ? null : options.DeadLetterQueueUrl;
    private int? _maxReceiveCount;

    /// <summary>The DLQ's URL, or null when none is configured and the queue has no redrive policy.</summary>
    public async Task<string?> GetUrlAsync(CancellationToken cancellationToken)
    {
        if (_url is not null)
        {
            return _url;
        }

        if (await ReadPolicyAsync(cancellationToken).ConfigureAwait(false) is not { TargetQueueName: { } name })
        {
            return null;
        }

        _url = await sqs.GetQueueUrlAsync(name, cancellationToken).ConfigureAwait(false);
        return _url;
    }

    /// <summary>The policy's maxReceiveCount: the receives after which SQS moves a task to the DLQ; null without a policy.</summary>
    public async Task<int?> GetMaxReceiveCountAsync(CancellationToken cancellationToken)
    {
        _maxReceiveCount ??= (await ReadPolicyAsync(cancellationToken).ConfigureAwait(false))?.MaxReceiveCount;
        return _maxReceiveCount;
    }

    private async Task<RedrivePolicy?> ReadPolicyAsync(CancellationToken cancellationToken)
    {
        var attributes = await sqs.GetQueueAttributesAsync(options.QueueUrl, [QueueAttributeNames.RedrivePolicy], cancellationToken).ConfigureAwait(false);
        return attributes.TryGetValue(QueueAttributeNames.RedrivePolicy, out var policy) ? Parse(policy) : null;
    }

    /// <summary>
    /// Reads a RedrivePolicy: the dead-letter queue's name is the last part of its deadLetterTargetArn
    /// (<c>arn:aws:sqs:region:account:name</c>); SQS writes maxReceiveCount as a number or a string. Null when it is not a JSON object.
    /// </summary>
    internal static RedrivePolicy? Parse(string redrivePolicy)
    {
        try
        {
            using var document = JsonDocument.Parse(redrivePolicy);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            string? name = null;
            if (root.TryGetProperty("deadLetterTargetArn", out var arn) && arn.ValueKind == JsonValueKind.String)
            {
                var text = arn.GetString()!;
                name = text[(text.LastIndexOf(':') + 1)..];
            }

            int? maxReceiveCount = null;
            if (root.TryGetProperty("maxReceiveCount", out var count))
            {
                if (count.ValueKind == JsonValueKind.Number && count.TryGetInt32(out var number))
                {
                    maxReceiveCount = number;
                }
                else if (count.ValueKind == JsonValueKind.String && int.TryParse(count.GetString(), System.Globalization.CultureInfo.InvariantCulture, out number))
                {
                    maxReceiveCount = number;
                }
            }

            return new RedrivePolicy(string.IsNullOrEmpty(name) ? null : name, maxReceiveCount is > 0 ? maxReceiveCount : null);
        }
        catch (JsonException)
        {
            // A policy that is not JSON names no DLQ; status and peek go on without one.
            return null;
        }
    }

    /// <summary>What a RedrivePolicy says.</summary>
    /// <param name="TargetQueueName">The dead-letter queue's name.</param>
    /// <param name="MaxReceiveCount">Receives after which SQS moves a message there.</param>
    internal sealed record RedrivePolicy(string? TargetQueueName, int? MaxReceiveCount);
}
