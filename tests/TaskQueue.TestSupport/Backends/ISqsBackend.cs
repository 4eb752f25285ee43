using TaskQueue.Sqs;

namespace TaskQueue.TestSupport.Backends;

/// <summary>An SQS the contracts run against, and a way to let its clock move on.</summary>
public interface ISqsBackend
{
    /// <summary>The client under test.</summary>
    ISqsClient Client { get; }

    /// <summary>Lets at least <paramref name="duration"/> pass on the backend's clock (fake time, or a real wait).</summary>
    /// <param name="duration">How long.</param>
    /// <returns>A task that completes once the time has passed.</returns>
    Task LetTimePassAsync(TimeSpan duration);
}
