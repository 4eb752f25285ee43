using System.Net;
using Amazon.Runtime;
using Amazon.SQS;
using FluentAssertions;
using TaskQueue.Sqs;
using TaskQueue.TestSupport;
using Xunit;

namespace TaskQueue.IntegrationTests;

/// <summary>The real AWS SDK pointed at a web server on loopback that is not SQS: a configuration error, said in one line, not a retry loop.</summary>
public sealed class NonSqsEndpointTests
{
    [Theory]
    [InlineData(HttpStatusCode.NotFound, "HTTP 404 without an SQS error code")]
    [InlineData(HttpStatusCode.MethodNotAllowed, "HTTP 405 without an SQS error code")]
    [InlineData(HttpStatusCode.OK, "HTTP 200 with a body that is not an SQS response")]
    public async Task ReceiveMessages_WebPageInsteadOfSqs_ThrowsConfigurationErrorSayingWhatToCheck(HttpStatusCode status, string answer)
    {
        using var server = StubHttpEndpoint.Start(_ => StubAnswer.WebPage(status));
        using var sdk = SdkClient(server.Url);
        var queueUrl = server.QueueUrl("orders.fifo");

        var act = () => new AwsSqsClient(sdk).ReceiveMessagesAsync(queueUrl, new ReceiveOptions(10, TimeSpan.Zero));

        var error = (await act.Should().ThrowAsync<SqsConfigurationException>()).Which;
        error.IsTransient.Should().BeFalse();
        error.Message.Should().Be(
            $"ReceiveMessage on queue {queueUrl} failed: the endpoint did not answer as SQS does ({answer}): check that the service URL (the CLI's --endpoint) points at an SQS-compatible server.");
    }

    [Fact]
    public async Task GetQueueUrl_GatewayErrorPage_IsTransientNotAConfigurationError()
    {
        using var server = StubHttpEndpoint.Start(_ => StubAnswer.WebPage(HttpStatusCode.BadGateway));
        using var sdk = SdkClient(server.Url);

        var act = () => new AwsSqsClient(sdk).GetQueueUrlAsync("orders.fifo");

        var error = (await act.Should().ThrowAsync<SqsRequestException>()).Which;
        error.IsTransient.Should().BeTrue("a proxy in front of SQS answers 502 while the server behind it restarts");
        error.Message.Should().StartWith("GetQueueUrl on queue orders.fifo failed (HTTP 502: ");
    }

    internal static AmazonSQSClient SdkClient(Uri url) => new(new BasicAWSCredentials("test", "test"), new AmazonSQSConfig
    {
        ServiceURL = url.ToString(),
        AuthenticationRegion = "us-east-1",
        MaxErrorRetry = 0,
    });
}
