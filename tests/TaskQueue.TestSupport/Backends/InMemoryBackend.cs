using Microsoft.Extensions.Time.Testing;
using TaskQueue.Sqs;
using TaskQueue.Testing;

namespace TaskQueue.TestSupport.Backends;

/// <summary>The in-memory SQS on a fake clock: time passes only when a test says so.</summary>
public sealed class InMemoryBackend : ISqsBackend
{
    /// <summary>The clock of <see cref="Client"/>.</summary>
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));

    /// <inheritdoc />
    public ISqsClient Client { get; }

    /// <summary>Creates the backend with its own in-memory SQS.</summary>
    public InMemoryBackend() => Client = new InMemorySqsClient(Time);

    /// <inheritdoc />
    public Task LetTimePassAsync(TimeSpan duration)
    {
        Time.Advance(duration);
        return Task.CompletedTask;
    }
}
