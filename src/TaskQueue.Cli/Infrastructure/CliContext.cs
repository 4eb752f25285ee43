using System.CommandLine;
using TaskQueue.Sqs;

namespace TaskQueue.Cli.Infrastructure;

/// <summary>What every command shares: the output writers and the global options (<c>--endpoint</c>, <c>--region</c>, <c>--json</c>).</summary>
internal sealed class CliContext(TextWriter output, TextWriter error)
{
    public TextWriter Output { get; } = output;

    public TextWriter Error { get; } = error;

    public Option<Uri?> Endpoint { get; } = new("--endpoint")
    {
        Description = "URL of an SQS-compatible endpoint (LocalStack, ElasticMQ, fauxqs); when omitted, AWS_ENDPOINT_URL_SQS or AWS_ENDPOINT_URL, else AWS",
        Recursive = true,
        CustomParser = result => SqsClientFactory.ParseEndpoint(result),
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
}
