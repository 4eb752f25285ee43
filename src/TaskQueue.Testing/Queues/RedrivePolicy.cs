using System.Globalization;
using System.Text.Json;

namespace TaskQueue.Testing;

/// <summary>A queue's <c>RedrivePolicy</c>: where messages go after too many receives.</summary>
/// <param name="DeadLetterTargetArn">ARN of the dead-letter queue.</param>
/// <param name="MaxReceiveCount">Receives after which the next receive moves the message to the dead-letter queue (1 to 1,000).</param>
internal sealed record RedrivePolicy(string DeadLetterTargetArn, int MaxReceiveCount)
{
    /// <summary>Parses the JSON SQS takes, <c>{"deadLetterTargetArn": "...", "maxReceiveCount": N}</c>; N may be a number or a string.</summary>
    public static RedrivePolicy Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(json, "it must be a JSON object");
            }

            var arn = root.TryGetProperty("deadLetterTargetArn", out var arnElement) && arnElement.ValueKind == JsonValueKind.String
                ? arnElement.GetString()
                : null;
            if (string.IsNullOrEmpty(arn))
            {
                throw Invalid(json, "deadLetterTargetArn is missing");
            }

            if (!root.TryGetProperty("maxReceiveCount", out var countElement) || !TryReadCount(countElement, out var count))
            {
                throw Invalid(json, "maxReceiveCount is missing or not a whole number");
            }

            if (count is < 1 or > 1000)
            {
                throw Invalid(json, "maxReceiveCount must be between 1 and 1000");
            }

            return new RedrivePolicy(arn, count);
        }
        catch (JsonException ex)
        {
            throw SqsErrors.Request(SqsErrors.InvalidAttributeValue, $"RedrivePolicy '{json}' is not valid JSON: {ex.Message}");
        }
    }

    /// <summary>The policy as SQS reports it in GetQueueAttributes.</summary>
    public string ToJson() =>
        string.Create(CultureInfo.InvariantCulture, $"{{\"deadLetterTargetArn\":\"{DeadLetterTargetArn}\",\"maxReceiveCount\":{MaxReceiveCount}}}");

    private static bool TryReadCount(JsonElement element, out int count)
    {
        count = 0;
        return element.ValueKind switch
        {
            JsonValueKind.Number => element.TryGetInt32(out count),
            JsonValueKind.String => int.TryParse(element.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out count),
            _ => false,
        };
    }

    private static TaskQueue.Sqs.SqsRequestException Invalid(string json, string reason) =>
        SqsErrors.Request(SqsErrors.InvalidAttributeValue, $"RedrivePolicy '{json}' is invalid: {reason}.");
}
