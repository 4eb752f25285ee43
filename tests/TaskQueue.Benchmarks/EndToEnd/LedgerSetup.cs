using System.Collections.Concurrent;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using TaskQueue.Benchmarks.Sqs;
using TaskQueue.Testing;

namespace TaskQueue.Benchmarks.EndToEnd;

/// <summary>
/// Entity completion for the library variant: the in-memory ledger, or the DynamoDB one on the local DynamoDB server
/// (<c>TASKQUEUE_DYNAMODB_ENDPOINT</c>, dynalite from <c>tests/benchmarks.sh</c>; a table of its own, every request
/// counted, and held for the same added latency as the SQS calls), with a completion handler that times each
/// announcement.
/// </summary>
public sealed class LedgerSetup : IDisposable
{
    /// <summary>The environment variable with the DynamoDB endpoint URL.</summary>
    public const string EndpointVariable = "TASKQUEUE_DYNAMODB_ENDPOINT";

    private readonly AmazonDynamoDBClient? _dynamoDb;

    private LedgerSetup(string kind, IEntityLedger ledger, RequestMeter? requests, AmazonDynamoDBClient? dynamoDb)
    {
        Kind = kind;
        Requests = requests;
        _dynamoDb = dynamoDb;
        Tracking = new EntityTracking(ledger, [Announcements]);
    }

    /// <summary>"memory" or "dynamodb".</summary>
    public string Kind { get; }

    /// <summary>The ledger and the timing handler, for the producer and the worker.</summary>
    public EntityTracking Tracking { get; }

    /// <summary>The announcements heard and how long after the batch's last fate each came.</summary>
    public AnnouncementTimer Announcements { get; } = new();

    /// <summary>The DynamoDB requests; null for the in-memory ledger.</summary>
    public RequestMeter? Requests { get; }

    /// <summary>Makes the ledger of <paramref name="kind"/>; the DynamoDB one with a new table.</summary>
    public static async Task<LedgerSetup> CreateAsync(string kind, TimeSpan latency, CancellationToken cancellationToken)
    {
        if (kind == "memory")
        {
            return new LedgerSetup(kind, new InMemoryEntityLedger(), null, null);
        }

        var endpoint = Environment.GetEnvironmentVariable(EndpointVariable) is { Length: > 0 } url
            ? url
            : throw new InvalidOperationException($"{EndpointVariable} is not set: run `bash tests/benchmarks.sh`, which starts the local DynamoDB server.");
        var requests = new RequestMeter(latency);
        var dynamoDb = new AmazonDynamoDBClient(new BasicAWSCredentials("test", "test"), new AmazonDynamoDBConfig
        {
            ServiceURL = endpoint,
            AuthenticationRegion = "us-east-1",
            Timeout = TimeSpan.FromSeconds(60),
            MaxErrorRetry = 2,
            HttpClientFactory = new MeteredHttpClientFactory(requests),
        });
        var table = $"bench-ledger-{Guid.NewGuid():N}";
        await DynamoDbEntityLedger.EnsureTableAsync(dynamoDb, table, cancellationToken).ConfigureAwait(false);
        return new LedgerSetup(kind, new DynamoDbEntityLedger(dynamoDb, new DynamoDbEntityLedgerOptions { TableName = table }), requests, dynamoDb);
    }

    /// <summary>The figures since <paramref name="requestsBefore"/> (the meter's counts at the start of the measured round).</summary>
    public LedgerFigures Figures(IReadOnlyDictionary<string, long> requestsBefore, int tasks, int batches)
    {
        var byAction = (Requests?.ByAction() ?? new Dictionary<string, long>())
            .Select(a => (a.Key, Count: a.Value - requestsBefore.GetValueOrDefault(a.Key)))
            .Where(a => a.Count > 0)
            .ToDictionary(a => a.Key, a => a.Count, StringComparer.Ordinal);
        var total = byAction.Values.Sum();
        var delays = Announcements.DelaysMs.Order().ToList();
        double Percentile(double p) => delays.Count == 0 ? 0 : delays[Math.Clamp((int)Math.Ceiling(p / 100 * delays.Count) - 1, 0, delays.Count - 1)];
        return new LedgerFigures(
            Kind, total, byAction, (double)total / tasks, (double)byAction.GetValueOrDefault("UpdateItem") / tasks, (double)total / batches,
            Announcements.Completions, Announcements.DeadLetters, Percentile(50), Percentile(95), delays.Count == 0 ? 0 : delays[^1]);
    }

    /// <inheritdoc />
    public void Dispose() => _dynamoDb?.Dispose();
}

/// <summary>
/// A completion handler that counts the announcements (each one SNS publish, with the SNS publisher) and measures each
/// completion's delay: from the batch's last fate (stamped by the worker when its handler had returned, just before the
/// ledger write) to this call, through the write, the claim and the announcement.
/// </summary>
public sealed class AnnouncementTimer : IEntityCompletionHandler
{
    private readonly ConcurrentQueue<double> _delays = new();
    private long _completions;
    private long _deadLetters;

    public IReadOnlyCollection<double> DelaysMs => _delays;

    public long Completions => Interlocked.Read(ref _completions);

    public long DeadLetters => Interlocked.Read(ref _deadLetters);

    /// <summary>Forgets what the warm-up round heard.</summary>
    public void Reset()
    {
        _delays.Clear();
        Interlocked.Exchange(ref _completions, 0);
        Interlocked.Exchange(ref _deadLetters, 0);
    }

    public Task OnEntityCompletedAsync(EntityBatchStatus batch, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _completions);
        if (batch.CompletedAt is { } completedAt)
        {
            _delays.Enqueue((DateTimeOffset.UtcNow - completedAt).TotalMilliseconds);
        }

        return Task.CompletedTask;
    }

    public Task OnTaskDeadLetteredAsync(TaskFate fate, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _deadLetters);
        return Task.CompletedTask;
    }
}

/// <summary>What entity completion cost in one measured round.</summary>
public sealed record LedgerFigures(
    string Ledger,
    long Requests,
    IReadOnlyDictionary<string, long> RequestsByAction,
    double RequestsPerTask,
    double WritesPerTask,
    double RequestsPerBatch,
    long Completions,
    long DeadLetters,
    double AnnouncementDelayP50Ms,
    double AnnouncementDelayP95Ms,
    double AnnouncementDelayMaxMs);
