namespace TaskQueue.Sqs;

/// <summary>SQS refused the request because the account or queue is over its request rate; retry after a delay.</summary>
public sealed class SqsThrottledException : TaskQueueException
{
    /// <summary>Creates the exception.</summary>
    public SqsThrottledException() { }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">Which request was throttled.</param>
    public SqsThrottledException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">Which request was throttled.</param>
    /// <param name="innerException">The underlying error.</param>
    public SqsThrottledException(string message, Exception? innerException) : base(message, innerException) { }

    /// <inheritdoc />
    public override bool IsTransient => true;
}
