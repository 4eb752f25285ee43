using System.Collections.Concurrent;

namespace TaskQueue.Benchmarks.Sqs;

/// <summary>
/// Sits under the AWS SDK's HTTP client: counts every SQS request by action (the <c>X-Amz-Target</c> header of
/// the JSON protocol; S3's REST requests, which have none, by HTTP method) and, to simulate a regional round trip, holds each request for a fixed latency first.
/// </summary>
public sealed class RequestMeter(TimeSpan latency) : DelegatingHandler(new SocketsHttpHandler
{
    PooledConnectionLifetime = TimeSpan.FromMinutes(10),
    MaxConnectionsPerServer = int.MaxValue,
})
{
    private readonly ConcurrentDictionary<string, long> _byAction = new(StringComparer.Ordinal);
    private long _total;

    /// <summary>The simulated round trip added to each request.</summary>
    public TimeSpan Latency { get; } = latency;

    /// <summary>Requests sent so far.</summary>
    public long Total => Interlocked.Read(ref _total);

    /// <summary>Requests so far, by SQS action.</summary>
    public IReadOnlyDictionary<string, long> ByAction() => new SortedDictionary<string, long>(_byAction, StringComparer.Ordinal);

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var action = request.Headers.TryGetValues("X-Amz-Target", out var targets) ? targets.First() : request.Method.Method;
        var dot = action.LastIndexOf('.');
        _byAction.AddOrUpdate(dot >= 0 ? action[(dot + 1)..] : action, 1, (_, n) => n + 1);
        Interlocked.Increment(ref _total);
        if (Latency > TimeSpan.Zero)
        {
            await Task.Delay(Latency, cancellationToken).ConfigureAwait(false);
        }

        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
