using System.CommandLine;
using TaskQueue.Sqs;

namespace TaskQueue.Cli.Infrastructure;

/// <summary>
/// What every command shares: the output writers, the global options (<c>--endpoint</c>, <c>--dynamodb-endpoint</c>,
/// <c>--region</c>, <c>--json</c>) and the connections they make.
/// </summary>
internal sealed class CliContext(TextWriter output, TextWriter error)
{
    public TextWriter Output { get; } = output;

    public TextWriter Error { get; } = error;

    public Option<Uri?> Endpoint { get; } = new("--endpoint")
    {
        Description = "URL of an SQS-compatible endpoint (LocalStack, ElasticMQ, fauxqs); when omitted, AWS_ENDPOINT_URL_SQS or AWS_ENDPOINT_URL, else AWS",
        Recursive = true,
        CustomParser = AwsEndpoint.Parse,
    };

    public Option<Uri?> DynamoDbEndpoint { get; } = new("--dynamodb-endpoint")
    {
        Description = "URL of a DynamoDB-compatible endpoint for the entity ledger (LocalStack, dynalite); when omitted, AWS_ENDPOINT_URL_DYNAMODB or AWS_ENDPOINT_URL, else AWS",
        Recursive = true,
        CustomParser = AwsEndpoint.Parse,
    };

    public Option<string?> Region { get; } = new("--region")
    {
        Description = "AWS region, e.g. eu-west-1; the SDK's default (AWS_REGION, profile) when omitted",
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "print data as JSON, for scripts",
        Recursive = true,
    };

    public Option<string?> PayloadBucket { get; } = new("--payload-bucket")
    {
        Description = "S3 bucket that stores task bodies too large for a message (sent as pointers AWS's Extended Clients read); when omitted, TASKQUEUE_PAYLOAD_BUCKET. Pointers are fetched from their own bucket either way",
        Recursive = true,
    };

    public bool WantsJson(ParseResult parsed) => parsed.GetValue(Json);

    /// <summary>Where large task bodies are read from and, with a bucket, stored: S3 at the same endpoint and region as SQS.</summary>
    public IPayloadStore? PayloadStore { get; private set; }

    /// <summary>The bucket large bodies are stored in, from <c>--payload-bucket</c> or <c>TASKQUEUE_PAYLOAD_BUCKET</c>; null stores none.</summary>
    public string? Bucket { get; private set; }

    /// <summary>The endpoint of the last <see cref="Connect"/>: named when it cannot be reached; null for AWS.</summary>
    public Uri? ConnectedEndpoint { get; private set; }

    /// <summary>An SQS client for the endpoint and region given.</summary>
    public ISqsClient Connect(ParseResult parsed)
    {
        ConnectedEndpoint = SqsClientFactory.EffectiveEndpoint(parsed.GetValue(Endpoint));
        PayloadStore = new S3PayloadStore(S3ClientFactory.Create(parsed.GetValue(Endpoint), parsed.GetValue(Region)));
        Bucket = parsed.GetValue(PayloadBucket) ?? (Environment.GetEnvironmentVariable("TASKQUEUE_PAYLOAD_BUCKET") is { Length: > 0 } bucket ? bucket : null);
        return SqsClientFactory.Create(parsed.GetValue(Endpoint), parsed.GetValue(Region));
    }

    /// <summary>Where the ledger table <paramref name="table"/> is, by the endpoint and region given; a name DynamoDB refuses is a usage error.</summary>
    public LedgerAddress LedgerAt(ParseResult parsed, string table) =>
        DynamoDbEntityLedgerOptions.IsTableName(table)
            ? new(table, parsed.GetValue(DynamoDbEndpoint), parsed.GetValue(Region))
            : throw new UsageException($"ledger table '{table}' is not a DynamoDB table name: use 3 to 255 letters, digits, '_', '-' or '.'");

    /// <summary>The entity ledger in <paramref name="table"/>, its table checked; none when no table was named.</summary>
    public async Task<IEntityLedger?> OpenLedgerAsync(ParseResult parsed, string? table, CancellationToken cancellationToken) =>
        table is null ? null : await LedgerTables.OpenAsync(LedgerAt(parsed, table), cancellationToken).ConfigureAwait(false);
}
