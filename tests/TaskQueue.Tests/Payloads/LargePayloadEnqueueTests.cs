using System.Text;
using System.Text.Json;
using FluentAssertions;
using Microsoft.Extensions.Time.Testing;
using TaskQueue.Sqs;
using TaskQueue.Testing;

namespace TaskQueue.Tests.Payloads;

/// <summary>Enqueue with a payload store: which bodies go to it, counted as SQS counts, and the pointer message sent instead.</summary>
public class LargePayloadEnqueueTests
{
    private const string Bucket = "task-bodies";

    /// <summary>Two bytes each in UTF-8, one UTF-16 unit: a count in characters would be off.</summary>
    private static readonly JsonElement Config = JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["text"] = new string('ü', 300) });

    private readonly List<IReadOnlyList<OutgoingMessage>> _batches = [];
    private readonly InMemoryPayloadStore _store = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));

    private TaskQueueHandler Handler(Action<TaskQueueOptions>? configure = null, IPayloadStore? store = null) =>
        new(TestMessages.AcceptingSqs(_batches).Object, TestMessages.Options(configure), timeProvider: _time, payloadStore: store ?? _store);

    private static int SqsSize(OutgoingMessage message) =>
        Encoding.UTF8.GetByteCount(message.Body) + message.Attributes!.Sum(a => Encoding.UTF8.GetByteCount(a.Key) + 6 + Encoding.UTF8.GetByteCount(a.Value));

    /// <summary>The message the task makes when sent inline, and its size as SQS counts it.</summary>
    private async Task<(OutgoingMessage Message, int Size)> InlineAsync()
    {
        await Handler().EnqueueTasksAsync("doc-1", [new TaskSpec("ocr", Config)]);
        var message = _batches[^1].Single();
        _batches.Clear();
        return (message, SqsSize(message));
    }

    private async Task<OutgoingMessage> SendAsync(int threshold)
    {
        var result = await Handler(o => { o.LargePayloads.Bucket = Bucket; o.LargePayloads.Threshold = threshold; }).EnqueueTasksAsync("doc-1", [new TaskSpec("ocr", Config)]);
        result.AllSucceeded.Should().BeTrue();
        return _batches[^1].Single();
    }

    [Fact]
    public async Task Enqueue_MessageExactlyAtThreshold_IsSentInline()
    {
        var (_, size) = await InlineAsync();

        var sent = await SendAsync(threshold: size);

        sent.Body.Should().StartWith("{");
        _store.Count.Should().Be(0);
    }

    [Fact]
    public async Task Enqueue_OneByteOverThreshold_CountedInUtf8BytesWithAttributes_GoesThroughTheStore()
    {
        var (inline, size) = await InlineAsync();
        Encoding.UTF8.GetByteCount(inline.Body).Should().BeLessThan(size - 1, "the attributes count too");

        var sent = await SendAsync(threshold: size - 1);

        sent.Body.Should().StartWith("""["software.amazon.payloadoffloading.PayloadS3Pointer",{"s3BucketName":"task-bodies","s3Key":""");
        _store.Count.Should().Be(1);
    }

    [Fact]
    public async Task Enqueue_Pointer_KeepsGroupAndAttributes_AddsSizeAndBatch_StoresTheExactBody()
    {
        var (inline, _) = await InlineAsync();

        var result = await Handler(o => { o.LargePayloads.Bucket = Bucket; o.LargePayloads.Threshold = 0; o.LargePayloads.KeyPrefix = "tasks/"; })
            .EnqueueTasksAsync("doc-1", [new TaskSpec("ocr", Config)]);
        var sent = _batches[^1].Single();

        var (bucket, key) = _store.Keys.Single();
        bucket.Should().Be(Bucket);
        key.Should().MatchRegex("^tasks/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", "a UUID after the prefix, as the Java client names objects");
        var stored = _store.Get(bucket, key)!;
        sent.MessageGroupId.Should().Be(inline.MessageGroupId);
        sent.MessageDeduplicationId.Should().Be(result.Tasks.Single().DeduplicationId);
        sent.Attributes.Should().Contain("entity_id", "doc-1").And.Contain("task_name", "ocr")
            .And.Contain("batch_id", result.BatchId).And.Contain("ExtendedPayloadSize", stored.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        // The stored object is the body the message would have carried: the same task, this call's batch id.
        var storedBody = Encoding.UTF8.GetString(stored);
        storedBody.Should().Be(inline.Body.Replace(ExtractBatchId(inline.Body), result.BatchId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Enqueue_TooLargeWithoutBucket_ThrowsNamingTheOption()
    {
        var large = JsonSerializer.SerializeToElement(new { text = new string('x', 2_000) });
        var act = () => Handler(o => o.MaxMessageBytes = 1024, store: null).EnqueueTasksAsync("doc-1", [new TaskSpec("ocr", large)]);

        (await act.Should().ThrowAsync<ArgumentException>()).WithMessage("*LargePayloads.Bucket*");
        _batches.Should().BeEmpty();
    }

    [Fact]
    public void Handler_BucketWithoutStore_ThrowsSayingWhatToAdd()
    {
        var act = () => new TaskQueueHandler(TestMessages.AcceptingSqs(_batches).Object, TestMessages.Options(o => o.LargePayloads.Bucket = Bucket));

        act.Should().Throw<ArgumentException>().WithMessage("*no payload store*AddS3LargePayloads*");
    }

    [Fact]
    public async Task Enqueue_StoreFails_ThatTaskIsReportedAndNotSent_OthersGoOn()
    {
        _store.FailNext();

        var result = await Handler(o => { o.LargePayloads.Bucket = Bucket; o.LargePayloads.Threshold = 0; })
            .EnqueueTasksAsync("doc-1", [new TaskSpec("ocr", Config), new TaskSpec("classify", Config)]);

        result.Tasks[0].Succeeded.Should().BeFalse();
        result.Tasks[0].ErrorCode.Should().Be("PayloadNotStored");
        result.Tasks[0].ErrorMessage.Should().Contain("s3://task-bodies/");
        result.Tasks[1].Succeeded.Should().BeTrue();
        _batches.SelectMany(b => b).Should().ContainSingle(m => m.Attributes!["task_name"] == "classify");
    }

    [Theory]
    [InlineData("Bad_Bucket", null, "", "LargePayloads.Bucket")]
    [InlineData("ok-bucket", 2_000_000, "", "LargePayloads.Threshold")]
    [InlineData("ok-bucket", -1, "", "LargePayloads.Threshold")]
    [InlineData("ok-bucket", null, "a b", "LargePayloads.KeyPrefix")]
    public void Options_OutOfRange_AreRefusedNamingTheValue(string bucket, int? threshold, string prefix, string named)
    {
        var act = () => Handler(o => { o.LargePayloads.Bucket = bucket; o.LargePayloads.Threshold = threshold; o.LargePayloads.KeyPrefix = prefix; });

        act.Should().Throw<Microsoft.Extensions.Options.OptionsValidationException>().WithMessage($"*{named}*");
    }

    private static string ExtractBatchId(string body) => JsonDocument.Parse(body).RootElement.GetProperty("batch_id").GetString()!;
}
