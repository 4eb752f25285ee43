using TaskQueue.Sqs;

namespace TaskQueue;

/// <summary>An SNS request failed; the message says what to fix, and <see cref="TaskQueueException.IsTransient"/> whether a retry may succeed.</summary>
internal sealed class SnsRequestException : TaskQueueException
{
    private readonly bool _isTransient;

    public SnsRequestException(string message, string? errorCode, bool isTransient, Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorCode = errorCode;
        _isTransient = isTransient;
    }

    /// <summary>SNS's error code, e.g. <c>NotFound</c>, when it gave one.</summary>
    public string? ErrorCode { get; }

    /// <inheritdoc />
    public override bool IsTransient => _isTransient;
}
