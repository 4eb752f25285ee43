namespace TaskQueue;

/// <summary>What SQS said when asked whether this worker still holds a message (by extending its visibility).</summary>
internal enum LeaseVerdict
{
    /// <summary>SQS accepted the receipt: no other worker holds the message.</summary>
    Held,

    /// <summary>SQS refused the receipt: the message may be with another worker.</summary>
    Lost,

    /// <summary>SQS could not be asked (throttled, unreachable, no answer): ask again later; nothing may be decided on it.</summary>
    Unknown,
}
