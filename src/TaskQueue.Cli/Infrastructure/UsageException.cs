namespace TaskQueue.Cli.Infrastructure;

/// <summary>A mistake in what the user typed: reported as one line, with exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
