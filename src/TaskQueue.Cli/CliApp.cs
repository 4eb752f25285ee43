using System.CommandLine;
using Amazon.Runtime;
using Microsoft.Extensions.Options;
using TaskQueue.Cli.Commands;
using TaskQueue.Cli.Infrastructure;
using TaskQueue.Sqs;

namespace TaskQueue.Cli;

/// <summary>The <c>taskqueue</c> command: parses, runs one command, and turns every user mistake into one line on stderr and an exit code.</summary>
public static class CliApp
{
    /// <summary>Exit code of a command that did what it was asked.</summary>
    public const int Success = 0;

    /// <summary>Exit code when SQS failed or refused (a missing queue, an unreachable endpoint, a task not sent).</summary>
    public const int Failure = 1;

    /// <summary>Exit code of a usage mistake: an unknown option, a bad number, bad JSON.</summary>
    public const int UsageError = 2;

    /// <summary>Exit code when the command was cancelled (Ctrl-C) before it finished.</summary>
    public const int Cancelled = 130;

    /// <summary>Runs the command line <paramref name="args"/>, writing data to <paramref name="output"/> and errors to <paramref name="error"/>.</summary>
    /// <param name="args">The arguments, without the program name.</param>
    /// <param name="output">Where data and help go.</param>
    /// <param name="error">Where the one-line errors go.</param>
    /// <param name="cancellationToken">Ctrl-C: stops a watch or a worker gracefully.</param>
    /// <returns>The process exit code.</returns>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var context = new CliContext(output, error);
        var root = CommandTree.Build(context);
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0 && parsed.Action?.ClearsParseErrors != true)
        {
            await error.WriteLineAsync($"taskqueue: {OneLine(parsed.Errors[0].Message)} (see taskqueue {CommandPath(parsed)}--help)").ConfigureAwait(false);
            return UsageError;
        }

        try
        {
            return await parsed.InvokeAsync(
                new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null },
                cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync("taskqueue: cancelled").ConfigureAwait(false);
            return Cancelled;
        }
        catch (Exception ex) when (Describe(ex) is { } described)
        {
            await error.WriteLineAsync($"taskqueue: {described.Message}").ConfigureAwait(false);
            return described.ExitCode;
        }
    }

    /// <summary>The one line and exit code for an error a user can cause; null for a bug, which keeps its stack trace.</summary>
    private static (string Message, int ExitCode)? Describe(Exception ex) => ex switch
    {
        UsageException usage => (OneLine(usage.Message), UsageError),
        ArgumentException argument => (OneLine(WithoutParameterName(argument)), UsageError),
        OptionsValidationException options => (OneLine(options.Message), UsageError),
        TaskQueueException sqs => (OneLine(sqs.Message), Failure),
        AmazonClientException aws => (OneLine(aws.Message) + ": set --region (or AWS_REGION) and AWS credentials, or --endpoint", Failure),
        InvalidOperationException invalid => (OneLine(invalid.Message), Failure),
        _ => null,
    };

    private static string WithoutParameterName(ArgumentException ex) =>
        ex.ParamName is { } name ? ex.Message.Replace($" (Parameter '{name}')", string.Empty, StringComparison.Ordinal) : ex.Message;

    private static string OneLine(string message)
    {
        var line = message.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? message;
        return line.Trim();
    }

    private static string CommandPath(ParseResult parsed)
    {
        var names = new List<string>();
        for (var result = parsed.CommandResult; result.Parent is System.CommandLine.Parsing.CommandResult parent; result = parent)
        {
            names.Insert(0, result.Command.Name);
        }

        return names.Count == 0 ? string.Empty : string.Join(' ', names) + " ";
    }
}
