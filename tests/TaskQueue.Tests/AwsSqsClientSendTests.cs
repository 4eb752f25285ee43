using System.Net;
using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.SQS;
using FluentAssertions;
using TaskQueue.Sqs;

namespace TaskQueue.Tests;

/// <summary>What AwsSqsClient puts on the wire for a SendMessageBatch: each entry with its own fields and attributes.</summary>
public sealed class AwsSqsClientSendTests : IDisposable
{
    private readonly RecordingHandler _http = new();
    private readonly AmazonSQSClient _sdk;

    public AwsSqsClientSendTests() =>
        _sdk = new AmazonSQSClient(
            new BasicAWSCredentials("test", "test"),
            new AmazonSQSConfig { ServiceURL = "http://127.0.0.1:1", HttpClientFactory = new HandlerFactory(_http), MaxErrorRetry = 0 });

    public void Dispose() => _sdk.Dispose();

    [Fact]
    public async Task SendMessageBatch_EntriesOfOneEntity_EachCarryTheirOwnAttributes()
    {
        OutgoingMessage[] messages =
        [
            new("0", "b0", "doc-1-ocr", "d0", new TaskAttributes("doc-1", "ocr")),
            new("1", "b1", "doc-1-ner", "d1", new Dictionary<string, string> { ["entity_id"] = "doc-1", ["task_name"] = "ner", ["traceparent"] = "00-x" }),
            new("2", "b2", "doc-2-ocr", "d2", new TaskAttributes("doc-2", "ocr")),
            new("3", "b3", "doc-2-ner", "d3", new Dictionary<string, string> { ["task_name"] = "ner", ["ExtendedPayloadSize"] = "12" }),
            new("4", "b4", "doc-2-x", "d4", new Dictionary<string, string> { ["entity_id"] = "doc-2", ["ExtendedPayloadSize"] = "12" }),
            new("5", "b5"),
        ];

        var send = () => new AwsSqsClient(_sdk).SendMessageBatchAsync("http://127.0.0.1/000000000000/q.fifo", messages);

        await send.Should().ThrowAsync<TaskQueueException>("the recording endpoint answers every call with an error");
        using var request = JsonDocument.Parse(_http.Bodies.Single());
        var entries = request.RootElement.GetProperty("Entries").EnumerateArray().ToList();
        entries.Select(e => e.GetProperty("Id").GetString()).Should().Equal("0", "1", "2", "3", "4", "5");
        entries.Select(e => e.GetProperty("MessageBody").GetString()).Should().Equal("b0", "b1", "b2", "b3", "b4", "b5");
        entries[2].GetProperty("MessageGroupId").GetString().Should().Be("doc-2-ocr");
        entries[2].GetProperty("MessageDeduplicationId").GetString().Should().Be("d2");
        Attributes(entries[0]).Should().Equal("entity_id=String:doc-1", "task_name=String:ocr");
        Attributes(entries[1]).Should().Equal("entity_id=String:doc-1", "task_name=String:ner", "traceparent=String:00-x");
        Attributes(entries[2]).Should().Equal("entity_id=String:doc-2", "task_name=String:ocr");
        Attributes(entries[3]).Should().Equal("task_name=String:ner", "ExtendedPayloadSize=Number:12");
        Attributes(entries[4]).Should().Equal("entity_id=String:doc-2", "ExtendedPayloadSize=Number:12");
        entries[5].TryGetProperty("MessageAttributes", out _).Should().BeFalse();
    }

    private static List<string> Attributes(JsonElement entry) =>
        [.. entry.GetProperty("MessageAttributes").EnumerateObject()
            .Select(a => $"{a.Name}={a.Value.GetProperty("DataType").GetString()}:{a.Value.GetProperty("StringValue").GetString()}")];

    private sealed class RecordingHandler : HttpMessageHandler
    {
        public List<string> Bodies { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Bodies.Add(await request.Content!.ReadAsStringAsync(cancellationToken));
            return new HttpResponseMessage(HttpStatusCode.BadRequest)
            {
                Content = new StringContent("""{"__type":"com.amazonaws.sqs#InvalidParameterValue","message":"recorded"}""", Encoding.UTF8, "application/x-amz-json-1.0"),
            };
        }
    }

    private sealed class HandlerFactory(HttpMessageHandler handler) : HttpClientFactory
    {
        public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(handler, disposeHandler: false);
    }
}
