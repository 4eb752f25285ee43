using TaskQueue.TestSupport;
using TaskQueue.TestSupport.Backends;
using TaskQueue.Testing;

namespace TaskQueue.IntegrationTests.LargePayloads;

// The large-payload scenarios twice: the in-memory SQS with the in-memory store, and the local server with its S3
// (fauxqs serves S3 on the SQS endpoint, path-style), through AWSSDK.S3.

public sealed class InMemoryLargePayloadTests() : LargePayloadScenarios(new InMemoryBackend())
{
    private readonly InMemoryPayloadStore _store = new();

    protected override IPayloadStore Store => _store;

    protected override Task<string> BucketAsync() => Task.FromResult("task-bodies");
}

public sealed class LocalServerLargePayloadTests() : LargePayloadScenarios(new LocalServerBackend())
{
    private string? _bucket;

    protected override IPayloadStore Store { get; } = new S3PayloadStore(LocalS3Server.SdkClient);

    protected override async Task<string> BucketAsync() => _bucket ??= await LocalS3Server.CreateBucketAsync("bodies");
}
