namespace TaskQueue.Sqs;

/// <summary>Base of the errors TaskQueue raises for failed SQS requests.</summary>
public class TaskQueueException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TaskQueueException() { }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong and what to do.</param>
    public TaskQueueException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What went wrong and what to do.</param>
    /// <param name="innerException">The underlying error.</param>
    public TaskQueueException(string message, Exception? innerException) : base(message, innerException) { }

    /// <summary>True when the same request may succeed if tried again later (throttling, a server or network fault).</summary>
    public virtual bool IsTransient => false;
}
