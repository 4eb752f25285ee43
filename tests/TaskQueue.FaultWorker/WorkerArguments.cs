using System.Globalization;

namespace TaskQueue.FaultWorker;

/// <summary>The command line: <c>--name value</c> pairs.</summary>
internal sealed record WorkerArguments(
    Uri Endpoint,
    string QueueUrl,
    string? DeadLetterQueueUrl,
    string CompletionsPath,
    int Concurrency,
    TimeSpan VisibilityTimeout,
    TimeSpan ReceiveWaitTime,
    TimeSpan ShutdownTimeout,
    TimeSpan RetryBackoff,
    bool MovePoison,
    bool DebugLog,
    string? LedgerTable,
    Uri? DynamoDbEndpoint,
    TimeSpan DeadLetterCheckInterval,
    bool FailingTasksFixed)
{
    public const string Usage =
        "usage: TaskQueue.FaultWorker --endpoint URL --queue URL --completions FILE [--dlq URL] [--concurrency 16] "
        + "[--visibility 5] [--receive-wait 2] [--shutdown-timeout 30] [--retry-backoff 1] [--poison move|leave] [--log info|debug] "
        + "[--ledger-table NAME --dynamodb-endpoint URL [--dead-letter-check 60]] [--failing throw|fixed] (times in seconds)";

    public static WorkerArguments Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"'{args[i]}' is not an --option followed by its value. {Usage}");
            }

            values[args[i][2..]] = args[i + 1];
        }

        string Required(string name) => values.TryGetValue(name, out var value) ? value : throw new ArgumentException($"--{name} is required. {Usage}");
        double Number(string name, double fallback) => values.TryGetValue(name, out var value) ? double.Parse(value, CultureInfo.InvariantCulture) : fallback;

        var ledgerTable = values.GetValueOrDefault("ledger-table");
        return new WorkerArguments(
            new Uri(Required("endpoint")),
            Required("queue"),
            values.GetValueOrDefault("dlq"),
            Required("completions"),
            (int)Number("concurrency", 16),
            TimeSpan.FromSeconds(Number("visibility", 5)),
            TimeSpan.FromSeconds(Number("receive-wait", 2)),
            TimeSpan.FromSeconds(Number("shutdown-timeout", 30)),
            TimeSpan.FromSeconds(Number("retry-backoff", 1)),
            values.GetValueOrDefault("poison", "move") == "move",
            values.GetValueOrDefault("log", "info") == "debug",
            ledgerTable,
            ledgerTable is null ? null : new Uri(Required("dynamodb-endpoint")),
            TimeSpan.FromSeconds(Number("dead-letter-check", 60)),
            values.GetValueOrDefault("failing", "throw") == "fixed");
    }
}
