
namespace TaskQueue.Testing;

/// <summary>The queues of one in-memory client, found by name, URL or ARN. Not thread-safe: used under the client's lock.</summary>
internal sealed class QueueRegistry
{
    private const string UrlPrefix = "http://in-memory-sqs/" + InMemorySqsClient.AccountId + "/";
    private const string ArnPrefix = "arn:aws:sqs:us-east-1:" + InMemorySqsClient.AccountId + ":";

    private readonly Dictionary<string, InMemoryQueue> _byName = new(StringComparer.Ordinal);

    public static string UrlOf(string queueName) => UrlPrefix + queueName;

    public static string ArnOf(string queueName) => ArnPrefix + queueName;

    public IEnumerable<InMemoryQueue> All => _byName.Values;

    public bool TryGetByName(string queueName, out InMemoryQueue queue) => _byName.TryGetValue(queueName, out queue!);

    /// <exception cref="TaskQueue.Sqs.QueueDoesNotExistException">No queue has that name.</exception>
    public InMemoryQueue GetByName(string queueName) =>
        TryGetByName(queueName, out var queue) ? queue : throw SqsErrors.QueueDoesNotExist(queueName);

    /// <exception cref="TaskQueue.Sqs.QueueDoesNotExistException">No queue has that URL.</exception>
    public InMemoryQueue GetByUrl(string queueUrl) =>
        queueUrl.StartsWith(UrlPrefix, StringComparison.Ordinal) && _byName.TryGetValue(queueUrl[UrlPrefix.Length..], out var queue)
            ? queue
            : throw SqsErrors.QueueDoesNotExist(queueUrl);

    public InMemoryQueue? FindByArn(string arn) =>
        arn.StartsWith(ArnPrefix, StringComparison.Ordinal) && _byName.TryGetValue(arn[ArnPrefix.Length..], out var queue) ? queue : null;

    public void Add(InMemoryQueue queue) => _byName.Add(queue.Name, queue);

    public void Remove(InMemoryQueue queue) => _byName.Remove(queue.Name);
}
