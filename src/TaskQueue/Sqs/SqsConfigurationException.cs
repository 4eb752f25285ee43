namespace TaskQueue.Sqs;

/// <summary>
/// No request can succeed as things are set up: no AWS credentials, credentials SQS rejects, an endpoint that is not
/// SQS or whose host name does not resolve, a queue that does not exist, or access denied. Retrying does not help;
/// someone has to fix the setup. <c>TaskQueueHandler.EnqueueTasksAsync</c> throws it instead of reporting
/// every task as failed, and a <c>TaskQueueWorker</c> stops on it. The message says what is wrong and what to do.
/// </summary>
/// <remarks>
/// A refused connection is not one of these: a server may be restarting, so it is a transient <see cref="SqsRequestException"/>.
/// </remarks>
public class SqsConfigurationException : TaskQueueException
{
    /// <summary>Creates the exception.</summary>
    public SqsConfigurationException() { }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong with the setup and what to do.</param>
    public SqsConfigurationException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What is wrong with the setup and what to do.</param>
    /// <param name="innerException">The underlying error.</param>
    public SqsConfigurationException(string message, Exception? innerException) : base(message, innerException) { }
}
