using System.Text.Json;
using TaskQueue.Configuration;
using TaskQueue.Sqs;

namespace TaskQueue.Processing;

/// <summary>
/// Finds the dead-letter queue: the configured URL, or the target of the source queue's RedrivePolicy.
/// A found URL is kept; a missing one is looked up again next time, since the policy may be added later.
/// </summary>
internal sealed class DeadLetterQueueLocator(ISqsClient sqs, TaskQueueOptions options)
{
    private string? _url = string.IsNullOrWhiteSpace(options.DeadLetterQueueUrl) ? null : options.DeadLetterQueueUrl;

    /// <summary>The DLQ's URL, or null when none is configured and the queue has no redrive policy.</summary>
    public async Task<string?> GetUrlAsync(CancellationToken cancellationToken)
    {
        if (_url is not null)
        {
            return _url;
        }

        var attributes = await sqs.GetQueueAttributesAsync(options.QueueUrl, [QueueAttributeNames.RedrivePolicy], cancellationToken).ConfigureAwait(false);
        if (!attributes.TryGetValue(QueueAttributeNames.RedrivePolicy, out var policy) || TargetQueueName(policy) is not { } name)
        {
            return null;
        }

        _url = await sqs.GetQueueUrlAsync(name, cancellationToken).ConfigureAwait(false);
        return _url;
    }

    /// <summary>The queue name at the end of the policy's deadLetterTargetArn (<c>arn:aws:sqs:region:account:name</c>).</summary>
    internal static string? TargetQueueName(string redrivePolicy)
    {
        try
        {
            using var document = JsonDocument.Parse(redrivePolicy);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("deadLetterTargetArn", out var arn)
                && arn.ValueKind == JsonValueKind.String)
            {
                var text = arn.GetString()!;
                var name = text[(text.LastIndexOf(':') + 1)..];
                return name.Length > 0 ? name : null;
            }
        }
        catch (JsonException)
        {
            // A policy that is not JSON names no DLQ; status and peek go on without one.
        }

        return null;
    }
}
