namespace TaskQueue.ModelTests.Checking;

/// <summary>The guarantees the oracle checks.</summary>
public enum Guarantee
{
    /// <summary>Every enqueued task completed (a successful run, the message gone) or is in the DLQ; the queue drains.</summary>
    EveryTaskSettled,

    /// <summary>A dead letter's receives are all accounted for: its own failures, lost responses, crashes, stops, lost leases.</summary>
    NoInnocentDeadLetter,

    /// <summary>Within a group no run starts before the message ahead completed or was dead-lettered.</summary>
    GroupOrder,

    /// <summary>No two runs of one group overlap, unless the earlier run's lease was truly lost.</summary>
    NoGroupOverlap,

    /// <summary>A task runs successfully twice only when the lease of the first run was truly lost.</summary>
    DuplicatesAccounted,

    /// <summary>Stopped workers stop within their shutdown bounds.</summary>
    WorkersStop,

    /// <summary>Every enqueue batch whose tasks all finished (completed, or in the DLQ) had its completion announced.</summary>
    CompletionAnnounced,

    /// <summary>An announced completion says only what happened: each task completed by a run, or sits in the DLQ.</summary>
    CompletionTruthful,

    /// <summary>A completion is announced once, again only after the worker that announced it died before recording it.</summary>
    CompletionOnce,
}

/// <summary>One broken guarantee, with the group (or, for entity completion, the batch) whose trace explains it.</summary>
public sealed record Violation(Guarantee Guarantee, string? GroupId, string Text, string? BatchId = null);
