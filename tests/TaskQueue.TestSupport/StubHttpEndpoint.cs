using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TaskQueue.TestSupport;

/// <summary>What <see cref="StubHttpEndpoint"/> answers to one request.</summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="ContentType">The body's media type.</param>
/// <param name="Body">The body.</param>
public sealed record StubAnswer(HttpStatusCode Status, string ContentType, string Body)
{
    /// <summary>A web server's HTML page, as any HTTP server that is not SQS answers.</summary>
    public static StubAnswer WebPage(HttpStatusCode status) =>
        new(status, "text/html", "<!DOCTYPE html><html><body><h1>Welcome</h1></body></html>");

    /// <summary>A successful SQS JSON-protocol answer.</summary>
    public static StubAnswer Json(string body) => new(HttpStatusCode.OK, "application/x-amz-json-1.0", body);
}

/// <summary>
/// An HTTP server on a free loopback port that answers each request as told, by SQS action (the JSON protocol's
/// <c>X-Amz-Target</c>, e.g. <c>ReceiveMessage</c>): an endpoint that is not SQS, or one that fails some actions.
/// </summary>
public sealed class StubHttpEndpoint : IDisposable
{
    private const string TargetPrefix = "AmazonSQS.";

    private readonly HttpListener _listener;
    private readonly Func<string, StubAnswer> _answer;

    private StubHttpEndpoint(HttpListener listener, Func<string, StubAnswer> answer, Uri url)
    {
        _listener = listener;
        _answer = answer;
        Url = url;
    }

    /// <summary>The endpoint, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Url { get; }

    /// <summary>A queue URL on this endpoint.</summary>
    /// <param name="name">The queue name.</param>
    public string QueueUrl(string name) => new Uri(Url, $"000000000000/{name}").ToString();

    /// <summary>Starts answering with <paramref name="answer"/>, given the SQS action of each request.</summary>
    /// <param name="answer">The answer to an action.</param>
    public static StubHttpEndpoint Start(Func<string, StubAnswer> answer)
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var url = new Uri($"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}/");
        probe.Stop();
        var listener = new HttpListener();
        listener.Prefixes.Add(url.ToString());
        listener.Start();
        var endpoint = new StubHttpEndpoint(listener, answer, url);
        _ = endpoint.ServeAsync();
        return endpoint;
    }

    /// <summary>Stops the server.</summary>
    public void Dispose() => _listener.Close();

    private async Task ServeAsync()
    {
        try
        {
            while (true)
            {
                var context = await _listener.GetContextAsync();
                var target = context.Request.Headers["X-Amz-Target"] ?? string.Empty;
                var answer = _answer(target.StartsWith(TargetPrefix, StringComparison.Ordinal) ? target[TargetPrefix.Length..] : target);
                var body = Encoding.UTF8.GetBytes(answer.Body);
                context.Response.StatusCode = (int)answer.Status;
                context.Response.ContentType = answer.ContentType;
                await context.Response.OutputStream.WriteAsync(body);
                context.Response.Close();
            }
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
        {
            // Closed by Dispose.
        }
    }
}
