using System.Globalization;
using System.Text;
using TaskQueue.Benchmarks.EndToEnd;

namespace TaskQueue.Benchmarks.Report;

/// <summary>
/// The report's cost table: the requests per task each variant made in this run, in dollars per million tasks at
/// <see cref="ListPrices"/>. Every body here is a few hundred bytes and every batch well under 64 KB, so each
/// request is one billed request.
/// </summary>
internal static class CostSection
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The variants priced, in the order of the table.</summary>
    private static readonly string[] Variants = ["library", "library+dynamodb-ledger", "sdk-pipelined", "sdk-batch", "reference", "reference-wide"];

    public static void Render(StringBuilder md, RunResults results)
    {
        var rows = results.EndToEnd.Where(r => Variants.Contains(r.Variant)).ToList();
        if (rows.Count == 0)
        {
            return;
        }

        md.AppendLine("## 4. Cost per million tasks at list price");
        md.AppendLine();
        md.Append(Invariant,
            $"The measured requests per task of section 1 (send and process phases, SDK retries included) at {ListPrices.Region} list prices, beyond the free tiers: SQS FIFO ${ListPrices.SqsFifoPerMillionRequests:F2} per million requests, each {ListPrices.SqsBillingChunkBytes / 1024} KB chunk of a request's payload billed as one request (every request here is one chunk: a body is about 250 bytes, so a batch of ten, sent or received, stays well under 64 KB; a 100 KB message would be 2); ");
        md.Append(Invariant,
            $"DynamoDB on-demand ${ListPrices.DynamoDbPerMillionWriteUnits:F3} per million write request units, one unit per write of an item up to 1 KB. ");
        md.AppendLine(
            "The ledger's items (a task's fate record; a batch's counters, claim and mark) are estimated from their layout at under 1 KB each, so one unit per UpdateItem: an estimate, not a measurement of consumed capacity. " +
            "Idle long polls are not in it: an empty 20 s receive per poller costs 0.13 million requests a month per poller whatever the load.");
        md.AppendLine();
        md.AppendLine("| variant | added latency | SQS requests per task | SQS $ per million tasks | DynamoDB writes per task | DynamoDB $ per million tasks (estimate) | total $ per million tasks |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in rows.OrderBy(r => r.LatencyMs).ThenBy(r => Array.IndexOf(Variants, r.Variant)))
        {
            var sqs = r.Total.RequestsPerTask * ListPrices.SqsFifoPerMillionRequests;
            var writes = r.Ledger?.WritesPerTask ?? 0;
            var dynamo = writes * ListPrices.DynamoDbPerMillionWriteUnits;
            md.AppendLine(Invariant,
                $"| {r.Variant} | {r.LatencyMs} ms | {r.Total.RequestsPerTask:F3} | {sqs:F2} | {writes:F2} | {dynamo:F2} | {sqs + dynamo:F2} |");
        }

        md.AppendLine();
    }
}
