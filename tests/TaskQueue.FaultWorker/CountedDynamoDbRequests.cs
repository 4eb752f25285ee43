using Amazon.Runtime;

namespace TaskQueue.FaultWorker;

/// <summary>
/// Gives the DynamoDB client an HTTP client that records each request (its action, from the JSON protocol's
/// <c>X-Amz-Target</c> header) in the completion log before sending it: every attempt, SDK retries included, and none
/// lost to a SIGKILL, so the suite can count the ledger's requests per task.
/// </summary>
internal sealed class CountedDynamoDbRequests(CompletionLog log) : HttpClientFactory
{
    public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(new Recorder(log)) { Timeout = TimeSpan.FromSeconds(60) };

    private sealed class Recorder(CompletionLog log) : DelegatingHandler(new SocketsHttpHandler())
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var target = request.Headers.TryGetValues("X-Amz-Target", out var values) ? values.First() : "unknown";
            log.Requested(target[(target.LastIndexOf('.') + 1)..]);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
