using System.Diagnostics;
using Amazon.SQS;
using TaskQueue.Benchmarks.Sqs;

namespace TaskQueue.Benchmarks.EndToEnd;

/// <summary>
/// Runs one variant in this (fresh) process: warm-up rounds on queues of their own, so that JIT compilation and
/// connection set-up are not billed to the run, then the workload: every task sent, then every task received, run and
/// deleted. Each measured phase starts once the JIT has gone quiet (see <see cref="JitSettling"/>): the figures are
/// those of a worker that has been running for a while, the same for every variant.
/// </summary>
public static class EndToEndRunner
{
    /// <summary>The variants with entity completion: <c>library+memory-ledger</c> and <c>library+dynamodb-ledger</c>.</summary>
    public const string LedgerPrefix = "library+";

    /// <summary>Runs <paramref name="variantName"/> and returns its figures.</summary>
    public static async Task<EndToEndResult> RunAsync(string variantName, int tasks, int lanes, int latencyMs, CancellationToken cancellationToken)
    {
        var meter = new RequestMeter(TimeSpan.FromMilliseconds(latencyMs));
        using var sdk = SqsEndpoint.CreateClient(meter);
        using var ledger = variantName.StartsWith(LedgerPrefix, StringComparison.Ordinal)
            ? await LedgerSetup.CreateAsync(variantName[LedgerPrefix.Length..^"-ledger".Length], meter.Latency, cancellationToken).ConfigureAwait(false)
            : null;
        IVariant variant = variantName switch
        {
            "library" => new LibraryVariant(sdk),
            "library+memory-ledger" or "library+dynamodb-ledger" => new LibraryVariant(sdk, variantName, ledger!.Tracking),
            "sdk-batch" => new SdkBatchVariant(sdk),
            "sdk-pipelined" => new SdkBatchVariant(sdk, pipelined: true),
            "sdk-pipelined+attributes" => new SdkBatchVariant(sdk, pipelined: true, LoopReading.Attributes),
            "sdk-pipelined+read" => new SdkBatchVariant(sdk, pipelined: true, LoopReading.Tasks),
            "reference" => new ReferenceVariant(sdk, wide: false),
            "reference-wide" => new ReferenceVariant(sdk, wide: true),
            _ => throw new ArgumentException(
                $"unknown variant '{variantName}': library, library+memory-ledger, library+dynamodb-ledger, sdk-pipelined, sdk-pipelined+attributes, sdk-pipelined+read, sdk-batch, reference or reference-wide", nameof(variantName)),
        };

        var runId = Guid.NewGuid().ToString("N")[..8];
        await WarmUpAsync(sdk, variant, lanes, runId, meter, cancellationToken).ConfigureAwait(false);

        var workload = new Workload(tasks, lanes, runId);
        ledger?.Announcements.Reset();
        var ledgerBefore = ledger?.Requests?.ByAction() ?? new Dictionary<string, long>();
        var sampler = AllocationSampler.StartIfAsked();
        var (produce, consume, total, done) = await RoundAsync(sdk, variant, workload, meter, cancellationToken).ConfigureAwait(false);
        sampler?.Dispose();
        var ledgerFigures = ledger?.Figures(ledgerBefore, workload.Tasks, workload.Entities);
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        var notes = variant is LibraryVariant ? LibraryVariant.Describe(workload) : string.Empty;
        return new EndToEndResult(
            variant.Name, latencyMs, tasks, lanes, produce, consume, total, done, self.PeakWorkingSet64 / 1048576.0, notes, ledgerFigures);
    }

    /// <summary>
    /// Warm-up rounds until one compiles next to nothing. A round has 50 calls of each kind per lane, so that every path the
    /// measured round takes has been called often enough to be optimized: 500 tasks a lane for the variants that batch 10
    /// messages a call, 50 for the reference pattern, which makes a call per message.
    /// </summary>
    private static async Task WarmUpAsync(
        AmazonSQSClient sdk, IVariant variant, int lanes, string runId, RequestMeter meter, CancellationToken cancellationToken)
    {
        var tasks = lanes * (variant is ReferenceVariant ? 50 : 500);
        await JitSettling.WarmUpAsync(
            round => RoundAsync(sdk, variant, new Workload(tasks, lanes, $"{runId}w{round}"), meter, cancellationToken),
            cancellationToken).ConfigureAwait(false);
    }

    private static async Task<(PhaseFigures Produce, PhaseFigures Consume, PhaseFigures Total, long Done)> RoundAsync(
        AmazonSQSClient sdk, IVariant variant, Workload workload, RequestMeter meter, CancellationToken cancellationToken)
    {
        var queueUrl = await SqsEndpoint.CreateFifoQueueAsync(sdk, "bench-" + variant.Name, cancellationToken).ConfigureAwait(false);
        try
        {
            var done = new DoneCounter(workload.Tasks);
            var atDone = done.Reached.ContinueWith(_ => Meter.Read(meter), cancellationToken, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

            var start = Meter.Read(meter);
            await variant.ProduceAsync(queueUrl, workload, cancellationToken).ConfigureAwait(false);
            var produced = Meter.Read(meter);

            // What the send phase called often enough is compiled again now, in the background: not the process phase's cost.
            await JitSettling.WaitAsync(cancellationToken).ConfigureAwait(false);
            var resumed = Meter.Read(meter);
            await variant.ConsumeAsync(queueUrl, workload, done, cancellationToken).ConfigureAwait(false);
            var end = await atDone.ConfigureAwait(false);
            return (produced.Since(start, workload.Tasks), end.Since(resumed, workload.Tasks), end.Without(produced, resumed).Since(start, workload.Tasks), done.Done);
        }
        finally
        {
            await sdk.DeleteQueueAsync(queueUrl, CancellationToken.None).ConfigureAwait(false);
        }
    }
}
