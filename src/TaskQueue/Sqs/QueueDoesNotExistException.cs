namespace TaskQueue.Sqs;

/// <summary>The queue named in a request does not exist (or not in this account and region).</summary>
public sealed class QueueDoesNotExistException : SqsConfigurationException
{
    /// <summary>Creates the exception.</summary>
    public QueueDoesNotExistException() { }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">Which queue and what to do.</param>
    public QueueDoesNotExistException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">Which queue and what to do.</param>
    /// <param name="innerException">The underlying error.</param>
    public QueueDoesNotExistException(string message, Exception? innerException) : base(message, innerException) { }
}
