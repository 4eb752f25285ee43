using System.Net;
using Amazon.Runtime;
using Microsoft.Extensions.Time.Testing;

namespace TaskQueue.Tests.Sns;

/// <summary>An SNS endpoint in memory: records each request's form and headers and answers as told.</summary>
internal sealed class SnsStub : HttpMessageHandler
{
    public const string TopicArn = "arn:aws:sns:eu-west-1:123456789012:events.fifo";

    public static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 15, 30, TimeSpan.Zero);

    private readonly Func<IReadOnlyDictionary<string, string>, (HttpStatusCode Status, string Body)> _answer;

    public SnsStub(Func<IReadOnlyDictionary<string, string>, (HttpStatusCode Status, string Body)>? answer = null) =>
        _answer = answer ?? (form => (HttpStatusCode.OK, Success(form["Action"], form["Action"] switch
        {
            "CreateTopic" => $"<TopicArn>{TopicArn}</TopicArn>",
            "Subscribe" => $"<SubscriptionArn>{TopicArn}:sub-1</SubscriptionArn>",
            _ => "<MessageId>m-1</MessageId>",
        })));

    public List<(HttpRequestMessage Request, string Body, Dictionary<string, string> Form)> Requests { get; } = [];

    public IReadOnlyDictionary<string, string> LastForm => Requests[^1].Form;

    /// <summary>A client on this stub at <c>https://sns.eu-west-1.amazonaws.com/</c>, key <c>AKID</c>, at <see cref="Now"/>.</summary>
    public SnsClient Client(ImmutableCredentials? credentials = null) => new(
        new HttpClient(this),
        new Uri("https://sns.eu-west-1.amazonaws.com/"),
        "eu-west-1",
        new Lazy<AWSCredentials>(() => credentials is null
            ? new BasicAWSCredentials("AKID", "secret")
            : new SessionAWSCredentials(credentials.AccessKey, credentials.SecretKey, credentials.Token)),
        new FakeTimeProvider(Now));

    public static string Success(string action, string result) =>
        $"""<{action}Response xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><{action}Result>{result}</{action}Result><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></{action}Response>""";

    public static string Error(string code, string message, string type = "Sender") =>
        $"""<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>{type}</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>r</RequestId></ErrorResponse>""";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = await request.Content!.ReadAsStringAsync(cancellationToken);
        var form = body.Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => Uri.UnescapeDataString(p[0]), p => Uri.UnescapeDataString(p[1]));
        Requests.Add((request, body, form));
        var (status, answer) = _answer(form);
        return new HttpResponseMessage(status) { Content = new StringContent(answer) };
    }
}
