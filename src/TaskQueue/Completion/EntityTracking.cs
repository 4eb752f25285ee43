namespace TaskQueue;

/// <summary>
/// Entity completion for a <see cref="TaskQueueHandler"/> or <see cref="TaskQueueWorker"/> built without dependency
/// injection: the ledger that records each task's fate and the handlers that hear of completions. Without it nothing
/// is recorded and no request is made. With dependency injection, <c>AddTaskQueue().AddEntityLedger(...)</c> and
/// <c>AddEntityCompletionHandler&lt;T&gt;()</c> build it.
/// </summary>
public sealed class EntityTracking
{
    /// <summary>Creates the setup.</summary>
    /// <param name="ledger">Where fates are recorded: the DynamoDB ledger in production, the in-memory one in tests.</param>
    /// <param name="handlers">Who hears of completions and dead letters; none is fine (the ledger still answers status queries).</param>
    public EntityTracking(IEntityLedger ledger, IEnumerable<IEntityCompletionHandler>? handlers = null)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        Ledger = ledger;
        Handlers = [.. handlers ?? []];
    }

    /// <summary>The ledger.</summary>
    public IEntityLedger Ledger { get; }

    /// <summary>The completion handlers, called in this order.</summary>
    public IReadOnlyList<IEntityCompletionHandler> Handlers { get; }
}
