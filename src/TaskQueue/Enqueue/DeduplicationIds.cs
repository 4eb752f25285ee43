using System.Globalization;

namespace TaskQueue;

/// <summary>
/// The MessageDeduplicationIds of one enqueue call, each an injective function of what it identifies, so distinct tasks
/// never share one, whatever their names hold: per call, the call's Guid and the task's place in it; for an idempotency
/// key or the deterministic mode, a hash of a length-prefixed encoding (see <see cref="SqsIdentifier.ForDeduplication"/>).
/// </summary>
internal sealed class DeduplicationIds
{
    private readonly string _kind;
    private readonly string? _scope;

    private DeduplicationIds(string kind, string? scope, bool sharedBeyondCall)
    {
        _kind = kind;
        _scope = scope;
        SharedBeyondCall = sharedBeyondCall;
    }

    /// <summary>
    /// True when another enqueue call can send the same id (an idempotency key, or the deterministic mode): SQS
    /// then accepts a send within 5 minutes of the first without delivering it. Per-call ids are shared only by the
    /// call's own resends.
    /// </summary>
    public bool SharedBeyondCall { get; }

    /// <summary>The policy for one call: the caller's idempotency key when given, else the configured mode.</summary>
    /// <exception cref="ArgumentException">The key is empty or holds a lone surrogate.</exception>
    public static DeduplicationIds ForCall(DeduplicationMode mode, string? idempotencyKey)
    {
        if (idempotencyKey is not null)
        {
            if (string.IsNullOrWhiteSpace(idempotencyKey))
            {
                throw new ArgumentException(
                    "idempotencyKey must not be empty: pass null to deduplicate only this call's own resends.", nameof(idempotencyKey));
            }

            UnicodeText.ThrowIfLoneSurrogate(idempotencyKey, "idempotencyKey", nameof(idempotencyKey));
            return new DeduplicationIds("key", idempotencyKey, sharedBeyondCall: true);
        }

        return mode == DeduplicationMode.Deterministic
            ? new DeduplicationIds("task", scope: null, sharedBeyondCall: true)
            // A new Guid per call, not the timestamp: two calls within one clock tick must still differ.
            : new DeduplicationIds("call", Guid.NewGuid().ToString("N"), sharedBeyondCall: false);
    }

    /// <summary>The call's batch id: the call's Guid, or for shared ids a hash of what they share, so repeats name one batch.</summary>
    /// <param name="entityId">The call's entity.</param>
    /// <param name="tasks">The call's tasks, in order.</param>
    public string BatchIdFor(string entityId, IReadOnlyList<TaskSpec> tasks) => _scope switch
    {
        { } scope when _kind == "call" => scope,
        { } key => SqsIdentifier.ForDeduplication("batch", key, entityId),
        null => SqsIdentifier.ForDeduplication("batch", [entityId, .. tasks.Select(t => t.TaskName)]),
    };

    /// <summary>The id of one task of the call.</summary>
    /// <param name="entityId">The call's entity.</param>
    /// <param name="taskName">The task's name, unique in the call.</param>
    /// <param name="index">The task's place in the call.</param>
    public string For(string entityId, string taskName, int index) => (_kind, _scope) switch
    {
        // Per call: the call's own Guid and the task's place in it already tell every task of every call apart, so no
        // hash is needed (it would cost a SHA-256 per task on the hot path of enqueue).
        ("call", { } call) => string.Create(CultureInfo.InvariantCulture, $"call-{call}-{index}"),
        (_, null) => SqsIdentifier.ForDeduplication(_kind, entityId, taskName),
        (_, { } scope) => SqsIdentifier.ForDeduplication(_kind, scope, entityId, taskName),
    };
}
