namespace TaskQueue.Sqs;

/// <summary>A message or a batch is larger than the queue accepts (<c>MaximumMessageSize</c>, at most 1 MiB).</summary>
public sealed class MessageTooLargeException : TaskQueueException
{
    /// <summary>Creates the exception.</summary>
    public MessageTooLargeException() { }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">Which message and its size.</param>
    public MessageTooLargeException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">Which message and its size.</param>
    /// <param name="innerException">The underlying error.</param>
    public MessageTooLargeException(string message, Exception? innerException) : base(message, innerException) { }
}
