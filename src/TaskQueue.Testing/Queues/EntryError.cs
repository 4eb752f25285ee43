namespace TaskQueue.Testing;

/// <summary>Why SQS rejects one receipt-handle operation: an error code and a one-line explanation.</summary>
internal readonly record struct EntryError(string Code, string Message);
