using System.Text;
using Amazon.Runtime;

namespace TaskQueue;

/// <summary>
/// The few SNS actions TaskQueue needs (CreateTopic, Subscribe, Publish), spoken directly in SNS's query protocol: a
/// form POST signed with SigV4, an XML answer. The AWS SDK's SNS package is not a dependency, and this needs no
/// reflection, so it is trimming- and Native-AOT-safe.
/// </summary>
/// <param name="http">Sends the requests; shared, never disposed here.</param>
/// <param name="endpoint">The SNS endpoint, e.g. <c>https://sns.us-east-1.amazonaws.com/</c> or a local server's.</param>
/// <param name="region">The region the requests are signed for.</param>
/// <param name="credentials">The credentials, resolved at the first request and asked for before each (they may be refreshed).</param>
/// <param name="timeProvider">The signing time.</param>
internal sealed class SnsClient(HttpClient http, Uri endpoint, string region, Lazy<AWSCredentials> credentials, TimeProvider timeProvider)
{
    public const string ServiceName = "sns";

    /// <summary>The endpoint requests go to.</summary>
    public Uri Endpoint => endpoint;

    /// <summary>The region requests are signed for.</summary>
    public string Region => region;

    /// <summary>The credentials requests are signed with, resolved now if they were not yet.</summary>
    internal AWSCredentials Credentials => credentials.Value;

    /// <summary>Creates a topic, or returns the ARN of the one of that name (SNS's CreateTopic is idempotent for equal attributes).</summary>
    public async Task<string> CreateTopicAsync(string name, IReadOnlyDictionary<string, string> attributes, CancellationToken cancellationToken)
    {
        var request = new SnsRequest("CreateTopic").Add("Name", name).AddMap("Attributes", attributes);
        var result = await SendAsync(request, name, cancellationToken).ConfigureAwait(false);
        return SnsResponse.Text(result, "TopicArn", request.Action, name);
    }

    /// <summary>Subscribes an endpoint, or returns the existing subscription with the same attributes.</summary>
    public async Task<string> SubscribeAsync(
        string topicArn, string protocol, string subscriberEndpoint, IReadOnlyDictionary<string, string> attributes, CancellationToken cancellationToken)
    {
        var request = new SnsRequest("Subscribe")
            .Add("TopicArn", topicArn)
            .Add("Protocol", protocol)
            .Add("Endpoint", subscriberEndpoint)
            .Add("ReturnSubscriptionArn", "true")
            .AddMap("Attributes", attributes);
        var result = await SendAsync(request, topicArn, cancellationToken).ConfigureAwait(false);
        return SnsResponse.Text(result, "SubscriptionArn", request.Action, topicArn);
    }

    /// <summary>Publishes one message to a FIFO topic; returns SNS's message id.</summary>
    public async Task<string> PublishAsync(string topicArn, SnsMessage message, CancellationToken cancellationToken)
    {
        var request = new SnsRequest("Publish")
            .Add("TopicArn", topicArn)
            .Add("Message", message.Body)
            .Add("MessageGroupId", message.GroupId)
            .Add("MessageDeduplicationId", message.DeduplicationId)
            .AddMessageAttributes(message.Attributes);
        var result = await SendAsync(request, topicArn, cancellationToken).ConfigureAwait(false);
        return SnsResponse.Text(result, "MessageId", request.Action, topicArn);
    }

    private async Task<System.Xml.Linq.XElement> SendAsync(SnsRequest request, string target, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var body = Encoding.UTF8.GetBytes(request.Encode());
        ImmutableCredentials key;
        try
        {
            key = await credentials.Value.GetCredentialsAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonClientException error)
        {
            throw SnsErrors.NoCredentials(request.Action, target, error);
        }

        using var message = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body) };
        message.Content.Headers.TryAddWithoutValidation("Content-Type", SnsRequest.ContentType);
        var signed = SigV4Signer.Sign(
            "POST", endpoint, [new("content-type", SnsRequest.ContentType)], body, key, region, ServiceName, timeProvider.GetUtcNow());
        foreach (var (name, value) in signed)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        TaskQueueInstruments.SnsRequests.Add(1, new KeyValuePair<string, object?>("aws.sns.action", request.Action));
        string answer;
        System.Net.HttpStatusCode status;
        try
        {
            using var response = await http.SendAsync(message, cancellationToken).ConfigureAwait(false);
            status = response.StatusCode;
            answer = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is HttpRequestException or IOException || (error is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // A timeout of the HttpClient surfaces as a cancellation the caller did not ask for.
            throw SnsErrors.FromNetwork(request.Action, target, error);
        }

        return SnsResponse.Result(request.Action, target, status, answer);
    }
}
