using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.SQS;
using Amazon.SQS.Model;
using FluentAssertions;
using Moq;
using TaskQueue.Sqs;
using Xunit;
using QueueDoesNotExistException = TaskQueue.Sqs.QueueDoesNotExistException;

namespace TaskQueue.IntegrationTests;

/// <summary>How AwsSqsClient turns what the AWS SDK throws into TaskQueue's exceptions; no server needed.</summary>
public sealed class AwsSqsClientErrorTests
{
    private const string QueueUrl = "https://sqs.us-east-1.amazonaws.com/123456789012/orders.fifo";

    private static readonly ReceiveOptions Receive = new(10, TimeSpan.FromSeconds(1));

    public static TheoryData<Exception, Type> ServiceErrors => new()
    {
        { new Amazon.SQS.Model.QueueDoesNotExistException("The specified queue does not exist."), typeof(QueueDoesNotExistException) },
        { Service("AWS.SimpleQueueService.NonExistentQueue", HttpStatusCode.BadRequest), typeof(QueueDoesNotExistException) },
        { Service("QueueDoesNotExist", HttpStatusCode.BadRequest), typeof(QueueDoesNotExistException) },
        { Service("AccessDenied", HttpStatusCode.Forbidden), typeof(QueueAccessDeniedException) },
        { Service("AccessDeniedException", HttpStatusCode.BadRequest), typeof(QueueAccessDeniedException) },
        { Service("InvalidClientTokenId", HttpStatusCode.Forbidden), typeof(SqsConfigurationException) },
        { Service("UnrecognizedClientException", HttpStatusCode.BadRequest), typeof(SqsConfigurationException) },
        { Service("SignatureDoesNotMatch", HttpStatusCode.Forbidden), typeof(SqsConfigurationException) },
        { Service("MissingAuthenticationToken", HttpStatusCode.Forbidden), typeof(SqsConfigurationException) },
        { Service("ExpiredToken", HttpStatusCode.BadRequest), typeof(SqsConfigurationException) },
        { Service("", HttpStatusCode.Unauthorized), typeof(SqsConfigurationException) },
        { Service("UnknownOperationException", HttpStatusCode.BadRequest), typeof(SqsConfigurationException) },
        { Service("", HttpStatusCode.NotFound), typeof(SqsConfigurationException) },
        { Service("", HttpStatusCode.MethodNotAllowed), typeof(SqsConfigurationException) },
        { Service("", HttpStatusCode.BadGateway), typeof(SqsRequestException) },
        { Service("ThrottlingException", HttpStatusCode.BadRequest), typeof(SqsThrottledException) },
        { Service("AWS.SimpleQueueService.RequestThrottled", HttpStatusCode.BadRequest), typeof(SqsThrottledException) },
        { Service("OverLimit", HttpStatusCode.Forbidden), typeof(SqsThrottledException) },
        { Service("SlowDown", HttpStatusCode.TooManyRequests), typeof(SqsThrottledException) },
        { Service("BatchRequestTooLong", HttpStatusCode.BadRequest), typeof(MessageTooLargeException) },
        {
            Service("InvalidParameterValue", HttpStatusCode.BadRequest,
                "One or more parameters are invalid. Reason: Message must be shorter than 262144 bytes."),
            typeof(MessageTooLargeException)
        },
        { Service("InvalidParameterValue", HttpStatusCode.BadRequest, "Value for parameter WaitTimeSeconds is invalid."), typeof(SqsRequestException) },
        { Service("InternalError", HttpStatusCode.InternalServerError), typeof(SqsRequestException) },
    };

    [Theory]
    [MemberData(nameof(ServiceErrors))]
    public async Task ReceiveMessages_ServiceError_ThrowsMatchingExceptionWithTheCause(Exception thrown, Type expected)
    {
        var sqs = ClientThrowing(thrown);

        var act = () => sqs.ReceiveMessagesAsync(QueueUrl, Receive);

        var error = (await act.Should().ThrowAsync<TaskQueueException>()).Which;
        error.Should().BeOfType(expected);
        error.InnerException.Should().BeSameAs(thrown);
        error.Message.Should().Contain("ReceiveMessage").And.Contain(QueueUrl).And.NotContainAny("\n", "\r");
    }

    [Fact]
    public async Task GetQueueUrl_NonExistentQueueCode_SaysWhatToDo()
    {
        var sqs = ClientThrowing(Service("AWS.SimpleQueueService.NonExistentQueue", HttpStatusCode.BadRequest));

        var act = () => sqs.GetQueueUrlAsync("orders.fifo");

        await act.Should().ThrowAsync<QueueDoesNotExistException>().WithMessage(
            "GetQueueUrl failed: queue orders.fifo does not exist: create it (taskqueue queues create) or check the URL and region.");
    }

    [Fact]
    public async Task ReceiveMessages_NoCredentialsFound_SaysHowToProvideThemInOneLine()
    {
        // What AWSSDK.Core 4 throws when its default chain finds no credentials, before any request is sent.
        var thrown = new AmazonClientException(
            "Failed to resolve AWS credentials. The credential providers used to search for credentials returned the following errors:\n\n"
            + "Exception 1 of 4: The environment variables AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN were not set with AWS credentials.\n"
            + "Exception 3 of 4: Unable to find the \"default\" profile.\n");
        var sqs = ClientThrowing(thrown);

        var act = () => sqs.ReceiveMessagesAsync(QueueUrl, Receive);

        var error = (await act.Should().ThrowAsync<SqsConfigurationException>()).Which;
        error.Should().BeOfType<SqsConfigurationException>();
        error.IsTransient.Should().BeFalse();
        error.InnerException.Should().BeSameAs(thrown);
        error.Message.Should().Be(
            $"ReceiveMessage on queue {QueueUrl} failed: no AWS credentials found: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (any values for a local SQS-compatible server), or run with an IAM role.");
    }

    [Fact]
    public async Task SendMessageBatch_CredentialsRejected_SaysToCheckThem()
    {
        var sqs = ClientThrowing(Service("UnrecognizedClientException", HttpStatusCode.BadRequest, "The security token included in the request is invalid."));

        var act = () => sqs.SendMessageBatchAsync(QueueUrl, [new OutgoingMessage("1", "body", "g", "d")]);

        (await act.Should().ThrowAsync<SqsConfigurationException>()).Which.Message.Should().Be(
            $"SendMessageBatch on queue {QueueUrl} was refused: the AWS credentials are not valid (UnrecognizedClientException: The security token included in the request is invalid.): check AWS_PROFILE or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, and renew an expired session token.");
    }

    [Theory]
    [InlineData(SocketError.HostNotFound, false,
        "failed: the endpoint's host name does not resolve (Name or service not known (sqs.eu-west-77.amazonaws.com:443)): check the service URL (the CLI's --endpoint) and the region.")]
    [InlineData(SocketError.TryAgain, true,
        "failed (HttpRequestException: Name or service not known (sqs.eu-west-77.amazonaws.com:443)): retry later.")]
    public async Task ReceiveMessages_NameResolutionFails_ConfigurationErrorOnlyWhenTheNameDoesNotExist(SocketError cause, bool transient, string expected)
    {
        // A mistyped endpoint or region names a host that does not exist; a DNS server that does not answer says TryAgain.
        var sqs = ClientThrowing(new HttpRequestException("Name or service not known (sqs.eu-west-77.amazonaws.com:443)", new SocketException((int)cause)));

        var act = () => sqs.ReceiveMessagesAsync(QueueUrl, Receive);

        var error = (await act.Should().ThrowAsync<TaskQueueException>()).Which;
        error.Should().BeOfType(transient ? typeof(SqsRequestException) : typeof(SqsConfigurationException));
        error.IsTransient.Should().Be(transient);
        error.Message.Should().Be($"ReceiveMessage on queue {QueueUrl} {expected}");
    }

    [Fact]
    public async Task DeleteMessageBatch_Throttled_IsTransient()
    {
        var sqs = ClientThrowing(Service("ThrottlingException", HttpStatusCode.BadRequest));

        var act = () => sqs.DeleteMessageBatchAsync(QueueUrl, [new ReceiptEntry("1", "handle")]);

        var error = (await act.Should().ThrowAsync<SqsThrottledException>()).Which;
        error.IsTransient.Should().BeTrue();
        error.Message.Should().Be($"DeleteMessageBatch on queue {QueueUrl} was throttled (ThrottlingException): retry after a delay or lower the request rate.");
    }

    [Fact]
    public async Task ChangeMessageVisibility_AccessDenied_NamesTheActionToAllow()
    {
        var sqs = ClientThrowing(Service("AccessDenied", HttpStatusCode.Forbidden, "User is not authorized"));

        var act = () => sqs.ChangeMessageVisibilityAsync(QueueUrl, "handle", TimeSpan.FromSeconds(30));

        (await act.Should().ThrowAsync<QueueAccessDeniedException>()).Which.Message.Should().Be(
            $"ChangeMessageVisibility on queue {QueueUrl} was denied (AccessDenied: User is not authorized): allow sqs:ChangeMessageVisibility on the queue for the credentials in use, or use other credentials.");
    }

    [Fact]
    public async Task SendMessageBatch_InvalidParameter_IsPermanentWithShortErrorCode()
    {
        var sqs = ClientThrowing(Service("AWS.SimpleQueueService.InvalidParameterValue", HttpStatusCode.BadRequest, "Bad\nvalue"));

        var act = () => sqs.SendMessageBatchAsync(QueueUrl, [new OutgoingMessage("1", "body", "g", "d")]);

        var error = (await act.Should().ThrowAsync<SqsRequestException>()).Which;
        error.ErrorCode.Should().Be("InvalidParameterValue");
        error.IsTransient.Should().BeFalse();
        error.Message.Should().Be(
            $"SendMessageBatch on queue {QueueUrl} failed (InvalidParameterValue, HTTP 400: Bad value): check the request and the queue's settings.");
    }

    [Fact]
    public async Task DeleteMessage_ServerFault_IsTransient()
    {
        var sqs = ClientThrowing(Service("ServiceUnavailable", HttpStatusCode.ServiceUnavailable));

        var act = () => sqs.DeleteMessageAsync(QueueUrl, "handle");

        var error = (await act.Should().ThrowAsync<SqsRequestException>()).Which;
        error.IsTransient.Should().BeTrue();
        error.ErrorCode.Should().Be("ServiceUnavailable");
        error.Message.Should().EndWith("retry later.");
    }

    public static TheoryData<Exception> NetworkFaults => new()
    {
        new HttpRequestException("Connection refused", new SocketException((int)SocketError.ConnectionRefused)),
        new IOException("The response ended prematurely."),
        new AmazonClientException("Request failed", new SocketException((int)SocketError.TimedOut)),
        new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout of 30 seconds elapsing."),
    };

    [Theory]
    [MemberData(nameof(NetworkFaults))]
    public async Task GetQueueAttributes_NetworkFault_ThrowsTransientSqsRequestException(Exception thrown)
    {
        var sqs = ClientThrowing(thrown);

        var act = () => sqs.GetQueueAttributesAsync(QueueUrl, [QueueAttributeNames.All]);

        var error = (await act.Should().ThrowAsync<SqsRequestException>()).Which;
        error.IsTransient.Should().BeTrue();
        error.ErrorCode.Should().BeNull();
        error.InnerException.Should().BeSameAs(thrown);
        error.Message.Should().StartWith($"GetQueueAttributes on queue {QueueUrl} failed ({thrown.GetType().Name}: ");
    }

    [Fact]
    public async Task ReceiveMessages_CallerCancels_RethrowsTheCancellationUnchanged()
    {
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();
        var thrown = new OperationCanceledException(cancellation.Token);
        var sqs = ClientThrowing(thrown);

        var act = () => sqs.ReceiveMessagesAsync(QueueUrl, Receive, cancellation.Token);

        (await act.Should().ThrowAsync<OperationCanceledException>()).Which.Should().BeSameAs(thrown);
    }

    [Fact]
    public async Task ReceiveMessages_UnreachableEndpoint_ThrowsTransientSqsRequestException()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var sdk = new AmazonSQSClient(new BasicAWSCredentials("test", "test"), new AmazonSQSConfig
        {
            ServiceURL = $"http://127.0.0.1:{closedPort}",
            AuthenticationRegion = "us-east-1",
            MaxErrorRetry = 0,
        });
        var sqs = new AwsSqsClient(sdk);

        var act = () => sqs.ReceiveMessagesAsync(QueueUrl, Receive);

        (await act.Should().ThrowAsync<SqsRequestException>()).Which.IsTransient.Should().BeTrue();
    }

    [Fact]
    public async Task ReceiveMessages_NoAttributesNamed_AsksForAllAttributesAndWholeSeconds()
    {
        var sdk = new Mock<IAmazonSQS>();
        ReceiveMessageRequest? sent = null;
        sdk.Setup(s => s.ReceiveMessageAsync(It.IsAny<ReceiveMessageRequest>(), It.IsAny<CancellationToken>()))
            .Callback<ReceiveMessageRequest, CancellationToken>((request, _) => sent = request)
            .ReturnsAsync(new ReceiveMessageResponse());

        var received = await new AwsSqsClient(sdk.Object).ReceiveMessagesAsync(
            QueueUrl, new ReceiveOptions(7, TimeSpan.FromSeconds(19.5), TimeSpan.FromSeconds(0.2)));

        received.Should().BeEmpty("a response without messages has a null list in SDK v4");
        sent.Should().NotBeNull();
        sent!.QueueUrl.Should().Be(QueueUrl);
        sent.MaxNumberOfMessages.Should().Be(7);
        sent.WaitTimeSeconds.Should().Be(20, "19.5 s rounds up to whole seconds");
        sent.VisibilityTimeout.Should().Be(1, "0.2 s rounds up, never down to 0, which would not hide the message");
        sent.MessageSystemAttributeNames.Should().Equal("All");
        sent.MessageAttributeNames.Should().Equal("All");
        sent.ReceiveRequestAttemptId.Should().BeNull();
    }

    [Fact]
    public async Task ReceiveMessages_AttributesAndAttemptIdGiven_SendsThem()
    {
        var sdk = new Mock<IAmazonSQS>();
        ReceiveMessageRequest? sent = null;
        sdk.Setup(s => s.ReceiveMessageAsync(It.IsAny<ReceiveMessageRequest>(), It.IsAny<CancellationToken>()))
            .Callback<ReceiveMessageRequest, CancellationToken>((request, _) => sent = request)
            .ReturnsAsync(new ReceiveMessageResponse());

        await new AwsSqsClient(sdk.Object).ReceiveMessagesAsync(QueueUrl, new ReceiveOptions(10, TimeSpan.Zero)
        {
            SystemAttributes = [SystemAttributeNames.ApproximateReceiveCount, SystemAttributeNames.MessageGroupId],
            MessageAttributes = ["traceparent", "tenant.*"],
            ReceiveRequestAttemptId = "attempt-1",
        });

        sent!.MessageSystemAttributeNames.Should().Equal(SystemAttributeNames.ApproximateReceiveCount, SystemAttributeNames.MessageGroupId);
        sent.MessageAttributeNames.Should().Equal("traceparent", "tenant.*");
        sent.ReceiveRequestAttemptId.Should().Be("attempt-1");
    }

    [Theory]
    [InlineData(new string[0], new[] { "traceparent", "tracestate", "ExtendedPayloadSize", "SQSLargePayloadSize" })]
    [InlineData(new[] { "tenant", "traceparent", "audit.*" }, new[] { "traceparent", "tracestate", "ExtendedPayloadSize", "SQSLargePayloadSize", "tenant", "audit.*" })]
    [InlineData(new[] { "tenant", "All" }, new[] { "All" })]
    [InlineData(new[] { ".*" }, new[] { "All" })]
    public async Task ProcessOne_AsksForTheAttributesATaskRunReadsAndThoseNamedToKeep(string[] kept, string[] asked)
    {
        var sdk = new Mock<IAmazonSQS>();
        ReceiveMessageRequest? sent = null;
        sdk.Setup(s => s.ReceiveMessageAsync(It.IsAny<ReceiveMessageRequest>(), It.IsAny<CancellationToken>()))
            .Callback<ReceiveMessageRequest, CancellationToken>((request, _) => sent = request)
            .ReturnsAsync(new ReceiveMessageResponse());
        var options = new TaskQueueOptions { QueueUrl = QueueUrl, WaitTime = TimeSpan.Zero };
        foreach (var name in kept)
        {
            options.MessageAttributeNames.Add(name);
        }

        (await new TaskQueueHandler(sdk.Object, options).ProcessOneAsync((_, _) => Task.CompletedTask)).Should().BeNull();

        sent!.MessageAttributeNames.Should().Equal(asked);
        sent.MessageSystemAttributeNames.Should().Equal(SystemAttributeNames.ApproximateReceiveCount, SystemAttributeNames.MessageGroupId);
    }

    [Fact]
    public async Task ReceiveMessages_MessageWithStringNumberAndBinaryAttributes_MapsTheTextOnes()
    {
        var sdk = new Mock<IAmazonSQS>();
        sdk.Setup(s => s.ReceiveMessageAsync(It.IsAny<ReceiveMessageRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new ReceiveMessageResponse
            {
                Messages =
                [
                    new Message
                    {
                        MessageId = "m1",
                        ReceiptHandle = "r1",
                        Body = "body",
                        Attributes = new Dictionary<string, string> { ["ApproximateReceiveCount"] = "3" },
                        MessageAttributes = new Dictionary<string, MessageAttributeValue>
                        {
                            ["entity_id"] = new() { DataType = "String", StringValue = "doc-1" },
                            ["priority"] = new() { DataType = "Number", StringValue = "5" },
                            ["blob"] = new() { DataType = "Binary", BinaryValue = new MemoryStream([1, 2]) },
                        },
                    },
                    new Message { MessageId = "m2", ReceiptHandle = "r2", Body = "bare" },
                ],
            });

        var received = await new AwsSqsClient(sdk.Object).ReceiveMessagesAsync(QueueUrl, Receive);

        received[0].Attributes.Should().BeEquivalentTo(new Dictionary<string, string> { ["entity_id"] = "doc-1", ["priority"] = "5" });
        received[0].ReceiveCount.Should().Be(3);
        received[1].Attributes.Should().BeEmpty();
        received[1].SystemAttributes.Should().BeEmpty();
    }

    private static AmazonSQSException Service(string code, HttpStatusCode status, string message = "The service said no.") =>
        new(message, status >= HttpStatusCode.InternalServerError ? ErrorType.Receiver : ErrorType.Sender, code, "request-1", status);

    // Every ISqsClient call goes through one translation, so a stub that throws from every SDK method tests them all.
    private static AwsSqsClient ClientThrowing(Exception error)
    {
        var sdk = new Mock<IAmazonSQS>(MockBehavior.Strict);
        sdk.Setup(s => s.ReceiveMessageAsync(It.IsAny<ReceiveMessageRequest>(), It.IsAny<CancellationToken>())).ThrowsAsync(error);
        sdk.Setup(s => s.SendMessageBatchAsync(It.IsAny<SendMessageBatchRequest>(), It.IsAny<CancellationToken>())).ThrowsAsync(error);
        sdk.Setup(s => s.DeleteMessageAsync(It.IsAny<DeleteMessageRequest>(), It.IsAny<CancellationToken>())).ThrowsAsync(error);
        sdk.Setup(s => s.DeleteMessageBatchAsync(It.IsAny<DeleteMessageBatchRequest>(), It.IsAny<CancellationToken>())).ThrowsAsync(error);
        sdk.Setup(s => s.ChangeMessageVisibilityAsync(It.IsAny<ChangeMessageVisibilityRequest>(), It.IsAny<CancellationToken>())).ThrowsAsync(error);
        sdk.Setup(s => s.GetQueueAttributesAsync(It.IsAny<GetQueueAttributesRequest>(), It.IsAny<CancellationToken>())).ThrowsAsync(error);
        sdk.Setup(s => s.GetQueueUrlAsync(It.IsAny<GetQueueUrlRequest>(), It.IsAny<CancellationToken>())).ThrowsAsync(error);
        return new AwsSqsClient(sdk.Object);
    }
}
