using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TaskQueue.Sqs;

namespace TaskQueue;

/// <summary>
/// The queue policy statement that lets an SNS topic send to an SQS queue (on AWS, a subscription delivers nothing
/// without it), added to the queue's policy beside the statements already there, once: it is named after the topic.
/// </summary>
internal static class QueueSubscriptionPolicy
{
    /// <summary>The queue attribute holding the policy.</summary>
    public const string Attribute = "Policy";

    /// <summary>The queue's policy with the statement added, or null when it is already there.</summary>
    /// <param name="policy">The queue's current policy; null or empty when it has none.</param>
    /// <param name="queueArn">The queue's ARN.</param>
    /// <param name="topicArn">The topic allowed to send.</param>
    /// <param name="queueUrl">The queue, for the error message.</param>
    /// <exception cref="TaskQueueException">The current policy is not a JSON object.</exception>
    public static string? WithTopicAllowed(string? policy, string queueArn, string topicArn, string queueUrl)
    {
        var document = Parse(policy, queueUrl);
        var statements = document["Statement"] switch
        {
            JsonArray array => array,
            JsonObject single => new JsonArray(single.DeepClone()),
            _ => [],
        };
        document["Statement"] = statements;
        var sid = StatementId(topicArn);
        if (statements.OfType<JsonObject>().Any(s => s["Sid"]?.GetValueKind() == JsonValueKind.String && s["Sid"]!.GetValue<string>() == sid))
        {
            return null;
        }

        statements.Add((JsonNode)new JsonObject
        {
            ["Sid"] = sid,
            ["Effect"] = "Allow",
            ["Principal"] = new JsonObject { ["Service"] = "sns.amazonaws.com" },
            ["Action"] = "sqs:SendMessage",
            ["Resource"] = queueArn,
            ["Condition"] = new JsonObject { ["ArnEquals"] = new JsonObject { ["aws:SourceArn"] = topicArn } },
        });
        return document.ToJsonString();
    }

    /// <summary>The statement's Sid: letters and digits, as IAM wants, and the same for the same topic.</summary>
    internal static string StatementId(string topicArn) =>
        "TaskQueueEntityEvents" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(topicArn)))[..16];

    private static JsonObject Parse(string? policy, string queueUrl)
    {
        if (string.IsNullOrWhiteSpace(policy))
        {
            return new JsonObject { ["Version"] = "2012-10-17" };
        }

        try
        {
            if (JsonNode.Parse(policy) is JsonObject document)
            {
                return document;
            }
        }
        catch (JsonException)
        {
        }

        throw new TaskQueueException(
            $"Queue {queueUrl} has a Policy that is not a JSON policy document, so a statement cannot be added to it: fix or remove the queue's Policy attribute.");
    }
}
