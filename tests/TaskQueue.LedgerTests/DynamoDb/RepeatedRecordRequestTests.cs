using System.Collections.Concurrent;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using FluentAssertions;
using TaskQueue.TestSupport;

namespace TaskQueue.LedgerTests.DynamoDb;

/// <summary>
/// A fate recorded over a task that had finished costs a read, and a write only where it can change something: a
/// write DynamoDB refuses on its condition is billed as one that took, and a completion run again after its worker died
/// (the usual repeat) changes nothing. Counted on the local DynamoDB server, by action.
/// </summary>
public sealed class RepeatedRecordRequestTests : IAsyncLifetime, IDisposable
{
    private static readonly DateTimeOffset FinishedAt = DateTimeOffset.UnixEpoch.AddDays(20_000);
    private readonly ConcurrentQueue<string> _actions = new();
    private readonly string _table = LocalDynamoDbServer.UniqueTableName("repeats");
    private readonly AmazonDynamoDBClient _client;

    public RepeatedRecordRequestTests()
    {
        var config = LocalDynamoDbServer.Config();
        config.HttpClientFactory = new CountingHttpClients(_actions);
        _client = new AmazonDynamoDBClient(new BasicAWSCredentials("test", "test"), config);
    }

    private DynamoDbEntityLedger Ledger => new(_client, new DynamoDbEntityLedgerOptions { TableName = _table });

    public async Task InitializeAsync() => await DynamoDbEntityLedger.EnsureTableAsync(LocalDynamoDbServer.Client, _table);

    public async Task DisposeAsync() => await LocalDynamoDbServer.Client.DeleteTableAsync(_table);

    public void Dispose() => _client.Dispose();

    [Theory]
    [InlineData(EntityTaskState.Completed, 2)]
    [InlineData(EntityTaskState.DeadLettered, 4)]
    public async Task A_fate_recorded_over_a_completed_task_reads_the_batch_and_tries_no_reopen(EntityTaskState state, int attempts)
    {
        await Ledger.RecordAsync(Fate("ocr", EntityTaskState.Completed), default);
        _actions.Clear();

        var again = await Ledger.RecordAsync(Fate("ocr", state, attempts), default);

        _actions.Should().Equal("UpdateItem", "GetItem");
        again.Tasks.Should().ContainSingle().Which.Should().BeEquivalentTo(new { State = EntityTaskState.Completed, Attempts = 1 });
    }

    [Fact]
    public async Task A_completion_of_a_dead_lettered_task_reads_it_then_reopens_the_batch()
    {
        await Ledger.RecordAsync(Fate("ocr", EntityTaskState.DeadLettered, attempts: 4), default);
        _actions.Clear();

        var reopened = await Ledger.RecordAsync(Fate("ocr", EntityTaskState.Completed, attempts: 5), default);

        _actions.Should().Equal("UpdateItem", "GetItem", "UpdateItem");
        reopened.Revision.Should().Be(2);
        reopened.Tasks.Should().ContainSingle().Which.Should().BeEquivalentTo(new { State = EntityTaskState.Completed, Attempts = 5 });
    }

    private static TaskFate Fate(string task, EntityTaskState state, int attempts = 1) =>
        new("doc-1", "batch-1", task, 2, state, attempts, state == EntityTaskState.DeadLettered ? "poison" : null, null, FinishedAt, TimeSpan.FromSeconds(1));

    /// <summary>HTTP clients that note each request's action (the JSON protocol's target header) before sending it.</summary>
    private sealed class CountingHttpClients(ConcurrentQueue<string> actions) : HttpClientFactory
    {
        public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(new Counter(actions));

        private sealed class Counter(ConcurrentQueue<string> actions) : DelegatingHandler(new SocketsHttpHandler())
        {
            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                var target = request.Headers.TryGetValues("X-Amz-Target", out var values) ? values.First() : "unknown";
                actions.Enqueue(target[(target.LastIndexOf('.') + 1)..]);
                return base.SendAsync(request, cancellationToken);
            }
        }
    }
}
