using System.Text.Json;
using Amazon.Runtime;

namespace TaskQueue.FaultWorker;

/// <summary>
/// Gives the DynamoDB client an HTTP client that records each request (its action, from the JSON protocol's
/// <c>X-Amz-Target</c> header) in the completion log before sending it: every attempt, SDK retries included, and none
/// lost to a SIGKILL, so the suite can count the ledger's requests per task. A ledger write (UpdateItem) is recorded
/// again once answered, with which write it is and whether it took, so that the suite can tell the writes its pattern
/// does not ask for apart by cause.
/// </summary>
internal sealed class CountedDynamoDbRequests(CompletionLog log) : HttpClientFactory
{
    public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(new Recorder(log)) { Timeout = TimeSpan.FromSeconds(60) };

    private sealed class Recorder(CompletionLog log) : DelegatingHandler(new SocketsHttpHandler())
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var target = request.Headers.TryGetValues("X-Amz-Target", out var values) ? values.First() : "unknown";
            var action = target[(target.LastIndexOf('.') + 1)..];
            log.Requested(action);
            if (action != "UpdateItem" || request.Content is null)
            {
                return await base.SendAsync(request, cancellationToken);
            }

            var write = LedgerWriteOf(await request.Content.ReadAsStringAsync(cancellationToken));
            var response = await base.SendAsync(request, cancellationToken);
            var outcome = response.IsSuccessStatusCode ? "written"
                : (await response.Content.ReadAsStringAsync(cancellationToken)).Contains("ConditionalCheckFailed", StringComparison.Ordinal) ? "refused"
                : "error";
            log.Wrote($"{write.Kind}:{outcome}{write.Detail}");
            return response;
        }

        /// <summary>
        /// Which of the ledger's writes a request is, by the expression values only that write names (see LedgerWrites);
        /// for a record, also the state it records and the task (<c>:{state}:{entity}/{task}</c>), else nothing.
        /// </summary>
        private static (string Kind, string Detail) LedgerWriteOf(string body)
        {
            using var json = JsonDocument.Parse(body);
            var values = json.RootElement.GetProperty("ExpressionAttributeValues");
            if (values.TryGetProperty(":pending", out _))
            {
                var state = values.GetProperty(":task").GetProperty("M").GetProperty("state").GetProperty("S").GetString();
                var entity = json.RootElement.GetProperty("Key").GetProperty("entity_id").GetProperty("S").GetString();
                var task = json.RootElement.GetProperty("ExpressionAttributeNames").GetProperty("#task").GetString()!["t:".Length..];
                return ("record", $":{state}:{entity}/{task}");
            }

            return (values.TryGetProperty(":deadLettered", out _) ? "reopen"
                : values.TryGetProperty(":claimant", out _) ? "claim"
                : values.TryGetProperty(":revision", out _) ? "mark"
                : "other", string.Empty);
        }
    }
}
