using TaskQueue.Sqs;
using TaskQueue.Testing;
using TaskQueue.TestSupport;

namespace TaskQueue.Tests;

/// <summary>The two SQS backends the operations tests run on: the in-memory SQS (real clock: redrive long-polls) and the local server.</summary>
public static class Backends
{
    public static TheoryData<string> Names => new() { "in-memory", "server" };

    public static ISqsClient Create(string name) => name == "server" ? LocalSqsServer.CreateClient() : new InMemorySqsClient();
}
