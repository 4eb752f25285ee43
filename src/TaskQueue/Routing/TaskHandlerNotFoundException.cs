namespace TaskQueue;

/// <summary>A task arrived whose name has no registered handler.</summary>
public sealed class TaskHandlerNotFoundException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TaskHandlerNotFoundException() { }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">Which task name, and what to do.</param>
    public TaskHandlerNotFoundException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">Which task name, and what to do.</param>
    /// <param name="innerException">The underlying error.</param>
    public TaskHandlerNotFoundException(string message, Exception? innerException) : base(message, innerException) { }

    /// <summary>Creates the exception for a task name.</summary>
    /// <param name="taskName">The task name without a handler.</param>
    /// <param name="registered">The task names that have one.</param>
    /// <returns>The exception, with a message naming both.</returns>
    public static TaskHandlerNotFoundException For(string taskName, IEnumerable<string> registered) =>
        new($"No handler is registered for task '{taskName}' (registered: {string.Join(", ", registered.Order(StringComparer.Ordinal))}): register one with AddHandler, or the task goes to the DLQ.");
}
