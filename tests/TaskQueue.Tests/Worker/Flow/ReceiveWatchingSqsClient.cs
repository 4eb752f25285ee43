using TaskQueue.Sqs;
using TaskQueue.Testing;

namespace TaskQueue.Tests.Worker.Flow;

/// <summary>
/// Passes every call on, and counts the receives started and under way, so a test knows when a long poll is waiting; keeps
/// the options of the latest receive.
/// </summary>
internal sealed class ReceiveWatchingSqsClient(ISqsClient inner) : DelegatingSqsClient(inner)
{
    private int _started;
    private int _underWay;

    public int ReceivesStarted => Volatile.Read(ref _started);

    public int ReceivesUnderWay => Volatile.Read(ref _underWay);

    /// <summary>What the latest receive asked for.</summary>
    public ReceiveOptions? LastReceive { get; private set; }

    public override async Task<IReadOnlyList<ReceivedMessage>> ReceiveMessagesAsync(string queueUrl, ReceiveOptions options, CancellationToken cancellationToken = default)
    {
        LastReceive = options;
        Interlocked.Increment(ref _started);
        Interlocked.Increment(ref _underWay);
        try
        {
            return await Inner.ReceiveMessagesAsync(queueUrl, options, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _underWay);
        }
    }
}
