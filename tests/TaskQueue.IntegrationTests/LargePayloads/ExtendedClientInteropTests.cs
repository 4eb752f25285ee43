using System.Text;
using System.Text.Json;
using Amazon.S3.Model;
using Amazon.SQS.Model;
using FluentAssertions;
using Microsoft.Extensions.Options;
using TaskQueue.TestSupport;

namespace TaskQueue.IntegrationTests.LargePayloads;

/// <summary>
/// Both ways with the AWS Extended Clients, through the plain AWS SDK against the local server's SQS and S3: a message
/// written exactly as the Java client writes one is run; ours is what the Java client reads (its pointer shape, its
/// Number attribute with the object's size, and the object holding our wire format).
/// </summary>
public sealed class ExtendedClientInteropTests : IAsyncLifetime
{
    private TestQueues _queues = null!;
    private string _bucket = null!;

    public async Task InitializeAsync()
    {
        _queues = await TestQueues.CreateAsync(LocalSqsServer.CreateClient(), 3, TimeSpan.FromSeconds(5), null, "interop");
        _bucket = await LocalS3Server.CreateBucketAsync("interop");
    }

    public async Task DisposeAsync() => await _queues.DisposeAsync();

    private TaskQueueHandler Handler(bool storeLarge)
    {
        var options = new TaskQueueOptions { QueueUrl = _queues.QueueUrl, WaitTime = TimeSpan.Zero, VisibilityTimeout = TimeSpan.FromSeconds(5) };
        if (storeLarge)
        {
            options.LargePayloads.Bucket = _bucket;
            options.LargePayloads.Threshold = 0;
        }

        return new TaskQueueHandler(LocalSqsServer.CreateClient(), Options.Create(options), payloadStore: new S3PayloadStore(LocalS3Server.SdkClient));
    }

    [Fact]
    public async Task JavaClientsPointerMessage_IsFetchedAndRun_AndItsObjectDeleted()
    {
        // What AmazonSQSExtendedClient.sendMessage does: PutObject under a random UUID, then the Jackson pointer as the body
        // and ExtendedPayloadSize (Number, the body's byte count) as an attribute.
        var body = """{"entity_id":"doc-java","task_name":"ocr","task_config":{"pages":[1,2,3],"note":"größer"}}""";
        var key = Guid.NewGuid().ToString();
        await LocalS3Server.SdkClient.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = key, ContentBody = body });
        await LocalSqsServer.SdkClient.SendMessageAsync(new SendMessageRequest
        {
            QueueUrl = _queues.QueueUrl,
            MessageBody = $$"""["software.amazon.payloadoffloading.PayloadS3Pointer",{"s3BucketName":"{{_bucket}}","s3Key":"{{key}}"}]""",
            MessageGroupId = "java-group",
            MessageDeduplicationId = key,
            MessageAttributes = new() { ["ExtendedPayloadSize"] = new MessageAttributeValue { DataType = "Number", StringValue = Encoding.UTF8.GetByteCount(body).ToString(System.Globalization.CultureInfo.InvariantCulture) } },
        });

        TaskMessage? seen = null;
        var result = await Handler(storeLarge: false).ProcessOneAsync((task, _) => { seen = task; return Task.CompletedTask; });

        result!.Outcome.Should().Be(ProcessOutcome.Completed);
        seen!.EntityId.Should().Be("doc-java");
        seen.TaskConfig.GetProperty("note").GetString().Should().Be("größer");
        var afterwards = () => LocalS3Server.SdkClient.GetObjectAsync(_bucket, key);
        (await afterwards.Should().ThrowAsync<Amazon.S3.AmazonS3Exception>()).Which.ErrorCode.Should().Be("NoSuchKey");
    }

    [Fact]
    public async Task OurPointerMessage_IsWhatTheJavaClientReads()
    {
        var config = JsonSerializer.SerializeToElement(new { text = "ünïcode" });
        await Handler(storeLarge: true).EnqueueTasksAsync("doc-ours", [new TaskSpec("ocr", config)]);

        var received = (await LocalSqsServer.SdkClient.ReceiveMessageAsync(new ReceiveMessageRequest
        {
            QueueUrl = _queues.QueueUrl,
            MessageAttributeNames = ["All"],
            MaxNumberOfMessages = 1,
        })).Messages.Single();

        // The Java client's own integration test matches the body against this pattern; PayloadS3Pointer.fromJson reads it.
        received.Body.Should().MatchRegex($$"""^\["software\.amazon\.payloadoffloading\.PayloadS3Pointer",\{"s3BucketName":"{{_bucket}}","s3Key":"[0-9a-f-]{36}"\}\]$""");
        var pointer = JsonDocument.Parse(received.Body).RootElement[1];
        var size = received.MessageAttributes["ExtendedPayloadSize"];
        size.DataType.Should().Be("Number");
        received.MessageAttributes["entity_id"].StringValue.Should().Be("doc-ours");
        using var stored = await LocalS3Server.SdkClient.GetObjectAsync(_bucket, pointer.GetProperty("s3Key").GetString());
        stored.ContentLength.ToString(System.Globalization.CultureInfo.InvariantCulture).Should().Be(size.StringValue);
        using var reader = new StreamReader(stored.ResponseStream, Encoding.UTF8);
        var body = JsonDocument.Parse(await reader.ReadToEndAsync()).RootElement;
        body.GetProperty("entity_id").GetString().Should().Be("doc-ours");
        body.GetProperty("task_config").GetProperty("text").GetString().Should().Be("ünïcode");
    }
}
