namespace TaskQueue.Benchmarks.Report;

/// <summary>
/// AWS list prices used to turn measured requests into dollars: US East (N. Virginia), on-demand, beyond the free
/// tiers, as published in 2026. Not a quote: a reader with another region or a discount scales the table.
/// </summary>
public static class ListPrices
{
    /// <summary>The region the prices are for.</summary>
    public const string Region = "US East (N. Virginia)";

    /// <summary>SQS FIFO: dollars per million requests (each 64 KB chunk of a request's payload is billed as one request).</summary>
    public const double SqsFifoPerMillionRequests = 0.50;

    /// <summary>DynamoDB on-demand: dollars per million write request units (one WRU writes up to 1 KB).</summary>
    public const double DynamoDbPerMillionWriteUnits = 0.625;

    /// <summary>S3 Standard: dollars per million PUT requests ($0.005 per 1,000).</summary>
    public const double S3PerMillionPuts = 5.00;

    /// <summary>S3 Standard: dollars per million GET requests ($0.0004 per 1,000).</summary>
    public const double S3PerMillionGets = 0.40;

    /// <summary>S3: DELETE requests are free.</summary>
    public const double S3PerMillionDeletes = 0;

    /// <summary>What SQS bills per 64 KB chunk.</summary>
    public const int SqsBillingChunkBytes = 64 * 1024;
}
