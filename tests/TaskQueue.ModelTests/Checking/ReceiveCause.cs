namespace TaskQueue.ModelTests.Checking;

/// <summary>Why a receive of a message did not end in its completion: what the receive counts against.</summary>
public enum ReceiveCause
{
    /// <summary>The message ran under it and failed (or was poison): it counts against the message itself.</summary>
    OwnFailure,

    /// <summary>The response was lost (an injected fault): the message was hidden and counted, never seen.</summary>
    LostResponse,

    /// <summary>The worker holding it crashed.</summary>
    Crash,

    /// <summary>The worker holding it was stopped (the run cancelled, or the message released on stop).</summary>
    Stop,

    /// <summary>The worker holding it was paused longer than its bound, and released the messages it had not started.</summary>
    PauseRelease,

    /// <summary>Its lease ran out while the worker held it, and it became visible again.</summary>
    LeaseLost,

    /// <summary>
    /// Released without running because a message ahead of it in its group, held by the same worker, lost its lease
    /// (its visibility ran out as SQS reckons it): the group had to be handed back for that one to run first.
    /// </summary>
    LeaseLostAhead,

    /// <summary>None of the above: the receive counted against a message that did nothing to earn it.</summary>
    Unexplained,
}
