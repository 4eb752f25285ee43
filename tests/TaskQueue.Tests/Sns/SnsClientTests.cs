using System.Net;
using Amazon.Runtime;
using FluentAssertions;
using TaskQueue.Sqs;

namespace TaskQueue.Tests.Sns;

public class SnsClientTests
{
    [Fact]
    public async Task Publish_SendsTheQueryFormSigned()
    {
        var sns = new SnsStub();

        var id = await sns.Client().PublishAsync(
            SnsStub.TopicArn, new SnsMessage("{\"a\": \"b c+d\"}", "doc-1", "dedup-1", new Dictionary<string, string> { ["event_type"] = "entity.completed" }), default);

        id.Should().Be("m-1");
        sns.LastForm.Should().Equal(new Dictionary<string, string>
        {
            ["Action"] = "Publish",
            ["Version"] = "2010-03-31",
            ["TopicArn"] = SnsStub.TopicArn,
            ["Message"] = "{\"a\": \"b c+d\"}",
            ["MessageGroupId"] = "doc-1",
            ["MessageDeduplicationId"] = "dedup-1",
            ["MessageAttributes.entry.1.Name"] = "event_type",
            ["MessageAttributes.entry.1.Value.DataType"] = "String",
            ["MessageAttributes.entry.1.Value.StringValue"] = "entity.completed",
        });
        var (request, body, _) = sns.Requests[0];
        body.Should().Contain("Message=%7B%22a%22%3A%20%22b%20c%2Bd%22%7D", "spaces and pluses are percent-encoded, never '+'");
        request.Method.Should().Be(HttpMethod.Post);
        request.Content!.Headers.GetValues("Content-Type").Should().Equal("application/x-www-form-urlencoded; charset=utf-8");
        request.Headers.GetValues("x-amz-date").Should().Equal("20261123T101530Z");
        request.Headers.GetValues("Authorization").Single().Should()
            .StartWith("AWS4-HMAC-SHA256 Credential=AKID/20261123/eu-west-1/sns/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=");
    }

    [Fact]
    public async Task Requests_WithSessionCredentials_CarryTheToken()
    {
        var sns = new SnsStub();

        await sns.Client(new ImmutableCredentials("AKID", "secret", "token-1")).PublishAsync(SnsStub.TopicArn, Message(), default);

        sns.Requests[0].Request.Headers.GetValues("x-amz-security-token").Should().Equal("token-1");
    }

    [Fact]
    public async Task CreateTopic_SendsAttributesAsEntries()
    {
        var sns = new SnsStub();

        var arn = await sns.Client().CreateTopicAsync("events.fifo", new Dictionary<string, string> { ["FifoTopic"] = "true", ["ContentBasedDeduplication"] = "false" }, default);

        arn.Should().Be(SnsStub.TopicArn);
        sns.LastForm.Should().Contain(new Dictionary<string, string>
        {
            ["Action"] = "CreateTopic",
            ["Name"] = "events.fifo",
            ["Attributes.entry.1.key"] = "FifoTopic",
            ["Attributes.entry.1.value"] = "true",
            ["Attributes.entry.2.key"] = "ContentBasedDeduplication",
            ["Attributes.entry.2.value"] = "false",
        });
    }

    [Fact]
    public async Task Subscribe_SendsProtocolEndpointAndAttributes()
    {
        var sns = new SnsStub();

        var arn = await sns.Client().SubscribeAsync(SnsStub.TopicArn, "sqs", "arn:aws:sqs:eu-west-1:123456789012:q.fifo", new Dictionary<string, string> { ["RawMessageDelivery"] = "true" }, default);

        arn.Should().Be(SnsStub.TopicArn + ":sub-1");
        sns.LastForm.Should().Contain(new Dictionary<string, string>
        {
            ["Protocol"] = "sqs",
            ["Endpoint"] = "arn:aws:sqs:eu-west-1:123456789012:q.fifo",
            ["Attributes.entry.1.key"] = "RawMessageDelivery",
            ["Attributes.entry.1.value"] = "true",
        });
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest, "Throttled", true)]
    [InlineData(HttpStatusCode.TooManyRequests, "Throttling", true)]
    [InlineData(HttpStatusCode.InternalServerError, "InternalError", true)]
    [InlineData(HttpStatusCode.ServiceUnavailable, "ServiceUnavailable", true)]
    [InlineData(HttpStatusCode.NotFound, "NotFound", false)]
    [InlineData(HttpStatusCode.Forbidden, "AuthorizationError", false)]
    [InlineData(HttpStatusCode.Forbidden, "InvalidClientTokenId", false)]
    [InlineData(HttpStatusCode.BadRequest, "InvalidParameter", false)]
    public async Task ErrorAnswer_ThrowsWithItsCodeAndTransience(HttpStatusCode status, string code, bool transient)
    {
        var sns = new SnsStub(_ => (status, SnsStub.Error(code, "it went wrong")));

        var act = () => sns.Client().PublishAsync(SnsStub.TopicArn, Message(), default);

        var error = (await act.Should().ThrowAsync<SnsRequestException>()).Which;
        error.ErrorCode.Should().Be(code);
        error.IsTransient.Should().Be(transient);
        error.Message.Should().Contain(SnsStub.TopicArn).And.Contain(code).And.NotContain("\n");
    }

    [Fact]
    public async Task NotFound_SaysToCreateTheTopic()
    {
        var sns = new SnsStub(_ => (HttpStatusCode.NotFound, SnsStub.Error("NotFound", "Topic does not exist")));

        var act = () => sns.Client().PublishAsync(SnsStub.TopicArn, Message(), default);

        (await act.Should().ThrowAsync<TaskQueueException>()).Which.Message.Should().Contain("does not exist").And.Contain("EntityEventTopic.EnsureTopicAsync");
    }

    [Fact]
    public async Task AccessDenied_NamesThePermissionToGrant()
    {
        var sns = new SnsStub(_ => (HttpStatusCode.Forbidden, SnsStub.Error("AuthorizationError", "User is not authorized")));

        var act = () => sns.Client().PublishAsync(SnsStub.TopicArn, Message(), default);

        (await act.Should().ThrowAsync<TaskQueueException>()).Which.Message.Should().Contain("allow sns:Publish");
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound, "<html><body>Not here</body></html>")]
    [InlineData(HttpStatusCode.OK, "{\"ok\": true}")]
    [InlineData(HttpStatusCode.OK, "<SendMessageResponse/>")]
    public async Task AnswerThatIsNotSns_SaysToCheckTheEndpoint(HttpStatusCode status, string body)
    {
        var sns = new SnsStub(_ => (status, body));

        var act = () => sns.Client().PublishAsync(SnsStub.TopicArn, Message(), default);

        var error = (await act.Should().ThrowAsync<SnsRequestException>()).Which;
        error.Message.Should().Contain("did not answer as SNS does").And.Contain("AWS_ENDPOINT_URL_SNS");
        error.IsTransient.Should().BeFalse();
    }

    [Fact]
    public async Task NetworkFault_IsTransient()
    {
        var client = new SnsClient(
            new HttpClient(new FailingHandler()), new Uri("http://127.0.0.1:1/"), "us-east-1", new(() => new BasicAWSCredentials("a", "b")), TimeProvider.System);

        var act = () => client.PublishAsync(SnsStub.TopicArn, Message(), default);

        var error = (await act.Should().ThrowAsync<SnsRequestException>()).Which;
        error.IsTransient.Should().BeTrue();
        error.Message.Should().Contain("got no answer");
    }

    [Fact]
    public async Task CallerCancellation_IsNotTranslated()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var sns = new SnsStub();

        var act = () => sns.Client().PublishAsync(SnsStub.TopicArn, Message(), cancelled.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task MissingCredentials_SaysWhereToSetThem()
    {
        var client = new SnsClient(
            new HttpClient(new SnsStub()), new Uri("http://127.0.0.1:1/"), "us-east-1",
            new(() => throw new AmazonClientException("Failed to resolve AWS credentials.")), TimeProvider.System);

        var act = () => client.PublishAsync(SnsStub.TopicArn, Message(), default);

        var error = (await act.Should().ThrowAsync<SnsRequestException>()).Which;
        error.Message.Should().Contain("no AWS credentials found").And.Contain("AWS_ACCESS_KEY_ID");
        error.IsTransient.Should().BeFalse();
    }

    private static SnsMessage Message() => new("{}", "g", "d", new Dictionary<string, string>());

    private sealed class FailingHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            throw new HttpRequestException("Connection refused");
    }
}
