using System.Text;
using FluentAssertions;
using Moq;
using TaskQueue.Sqs;
using TaskQueue.Testing;

namespace TaskQueue.Tests.Payloads;

/// <summary>Reading a pointer message's task: fetched whole into one array, a missing object poison, other failures a failed attempt.</summary>
public class TaskBodyReaderTests
{
    private readonly InMemoryPayloadStore _store = new();

    private static ReceivedMessage Pointer(string bucket, string key, long? size = null, string attribute = "ExtendedPayloadSize") =>
        new("m-1", "r-1", PayloadPointer.Write(new PayloadReference(bucket, key, null)),
            size is { } s ? new Dictionary<string, string> { [attribute] = s.ToString(System.Globalization.CultureInfo.InvariantCulture) } : [],
            new Dictionary<string, string>());

    private async Task<int> StoreAsync(string key, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        await _store.PutAsync("b-1", key, bytes, CancellationToken.None);
        return bytes.Length;
    }

    [Theory]
    [InlineData(true, "ExtendedPayloadSize")]
    [InlineData(true, "SQSLargePayloadSize")]
    [InlineData(false, "ExtendedPayloadSize")]
    public async Task ReadAsync_PointerToStoredTask_GivesTheTask(bool withSize, string attribute)
    {
        var size = await StoreAsync("k-1", TestMessages.TaskBody(config: """{"lang":"ünï"}"""));

        var reading = await new TaskBodyReader(_store).ReadAsync(Pointer("b-1", "k-1", withSize ? size : null, attribute), CancellationToken.None);

        reading.Task!.EntityId.Should().Be("doc-1");
        reading.Task.TaskConfig.GetProperty("lang").GetString().Should().Be("ünï");
        reading.Payload.Should().Be(new PayloadReference("b-1", "k-1", withSize ? size : null));
        reading.PoisonReason.Should().BeNull();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(-40)]
    [InlineData(40)]
    public async Task ReadAsync_SizeAttributeWrong_StillReadsTheWholeObject(int offBy)
    {
        var config = "{\"text\":\"" + new string('x', 200_000) + "\"}";
        var size = await StoreAsync("k-1", TestMessages.TaskBody(config: config));

        var reading = await new TaskBodyReader(_store).ReadAsync(Pointer("b-1", "k-1", size + offBy), CancellationToken.None);

        reading.Task!.TaskConfig.GetProperty("text").GetString().Should().HaveLength(200_000);
    }

    [Fact]
    public async Task ReadAsync_ObjectMissing_IsPoisonNamingBucketAndKey()
    {
        var reading = await new TaskBodyReader(_store).ReadAsync(Pointer("b-1", "gone-key"), CancellationToken.None);

        reading.Task.Should().BeNull();
        reading.FetchError.Should().BeNull();
        reading.PoisonReason.Should().Contain("s3://b-1/gone-key").And.Contain("does not exist");
    }

    [Fact]
    public async Task ReadAsync_StoreFails_IsAFetchErrorNotPoison()
    {
        await StoreAsync("k-1", TestMessages.TaskBody());
        _store.FailNext();

        var reading = await new TaskBodyReader(_store).ReadAsync(Pointer("b-1", "k-1"), CancellationToken.None);

        reading.FetchError.Should().BeOfType<IOException>();
        reading.PoisonReason.Should().BeNull();
    }

    [Fact]
    public async Task ReadAsync_NoStore_PointerIsPoisonSayingWhatToAdd()
    {
        var reading = await TaskBodyReader.BodiesOnly.ReadAsync(Pointer("b-1", "k-1"), CancellationToken.None);

        reading.PoisonReason.Should().Contain("s3://b-1/k-1").And.Contain("no payload store");
    }

    [Fact]
    public async Task ReadAsync_StoredBodyNotATask_IsPoisonNamingTheObject()
    {
        await StoreAsync("k-1", """{"entity_id":"doc-1"}""");

        var reading = await new TaskBodyReader(_store).ReadAsync(Pointer("b-1", "k-1"), CancellationToken.None);

        reading.PoisonReason.Should().Be("stored body s3://b-1/k-1: field 'task_name' is missing");
    }

    [Fact]
    public async Task ReadAsync_PlainBody_MakesNoStoreRequest()
    {
        var store = new Mock<IPayloadStore>(MockBehavior.Strict);

        var reading = await new TaskBodyReader(store.Object).ReadAsync(TestMessages.Received(TestMessages.TaskBody()), CancellationToken.None);

        reading.Task!.TaskName.Should().Be("title");
        reading.Payload.Should().BeNull();
    }

    [Fact]
    public void TryParse_Utf8Body_SameResultAsTheStringBody()
    {
        var body = TestMessages.TaskBody();

        TaskMessageParser.TryParse(Encoding.UTF8.GetBytes(body).AsMemory(), out var fromBytes, out _).Should().BeTrue();
        TaskMessageParser.TryParse(body, out var fromString, out _).Should().BeTrue();

        fromBytes!.TaskConfig.GetRawText().Should().Be(fromString!.TaskConfig.GetRawText());
        fromBytes.EnqueuedAt.Should().Be(fromString.EnqueuedAt);
        TaskMessageParser.TryParse("  "u8.ToArray().AsMemory(), out _, out var empty).Should().BeFalse();
        empty.Should().Be("body is empty");
        TaskMessageParser.TryParse("{\"a\":"u8.ToArray().AsMemory(), out _, out var broken).Should().BeFalse();
        broken.Should().StartWith("body is not valid JSON");
    }
}
