namespace TaskQueue.Sqs;

/// <summary>The credentials in use may not perform the request on the queue.</summary>
public sealed class QueueAccessDeniedException : SqsConfigurationException
{
    /// <summary>Creates the exception.</summary>
    public QueueAccessDeniedException() { }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">Which action on which queue, and what to do.</param>
    public QueueAccessDeniedException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">Which action on which queue, and what to do.</param>
    /// <param name="innerException">The underlying error.</param>
    public QueueAccessDeniedException(string message, Exception? innerException) : base(message, innerException) { }
}
