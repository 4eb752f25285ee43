namespace TaskQueue.Sqs;

/// <summary>An SQS request failed for a reason without a more specific exception: a server fault, a network fault, an invalid parameter.</summary>
public sealed class SqsRequestException : TaskQueueException
{
    private readonly bool _isTransient;

    /// <summary>Creates the exception.</summary>
    public SqsRequestException() { }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">Which request failed and why.</param>
    public SqsRequestException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">Which request failed and why.</param>
    /// <param name="innerException">The underlying error.</param>
    public SqsRequestException(string message, Exception? innerException) : base(message, innerException) { }

    /// <summary>Creates the exception with a message, its cause, the SQS error code and whether a retry may succeed.</summary>
    /// <param name="message">Which request failed and why.</param>
    /// <param name="errorCode">The SQS error code, when the service gave one.</param>
    /// <param name="isTransient">True for server and network faults.</param>
    /// <param name="innerException">The underlying error.</param>
    public SqsRequestException(string message, string? errorCode, bool isTransient, Exception? innerException)
        : base(message, innerException)
    {
        ErrorCode = errorCode;
        _isTransient = isTransient;
    }

    /// <summary>The SQS error code, e.g. <c>InvalidParameterValue</c>, when the service gave one.</summary>
    public string? ErrorCode { get; }

    /// <inheritdoc />
    public override bool IsTransient => _isTransient;
}
