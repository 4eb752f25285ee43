namespace TaskQueue.Testing;

/// <summary>Behaviour of an <see cref="InMemorySqsClient"/> where SQS-compatible servers differ.</summary>
public sealed class InMemorySqsOptions
{
    /// <summary>
    /// How many messages of one FIFO group a receive may return: <see cref="FifoReceiveMode.SeveralPerGroup"/> (as AWS,
    /// the default) or <see cref="FifoReceiveMode.OnePerGroup"/> (as some local emulators).
    /// </summary>
    public FifoReceiveMode FifoReceiveMode { get; init; } = FifoReceiveMode.SeveralPerGroup;
}
