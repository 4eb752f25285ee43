using TaskQueue.Sqs;
using TaskQueue.Testing;

namespace TaskQueue.TestSupport.Backends;

/// <summary>The in-memory SQS on the real clock: for tests of code with its own timers (the worker), where fake time would have to drive every loop.</summary>
public sealed class InMemoryRealTimeBackend : ISqsBackend
{
    /// <inheritdoc />
    public ISqsClient Client { get; } = new InMemorySqsClient(TimeProvider.System);

    /// <inheritdoc />
    public Task LetTimePassAsync(TimeSpan duration) => Task.Delay(duration);
}
