namespace TaskQueue.Cli.Infrastructure;

/// <summary>A command that could not do what was asked for a reason it explains (nothing recorded, a table missing): one line, exit code 1.</summary>
internal sealed class CommandFailedException(string message) : Exception(message);
