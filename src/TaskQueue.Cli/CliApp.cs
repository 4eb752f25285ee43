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
        // Read from the arguments, not the parse: a script that asked for JSON gets its errors as JSON even when the parse failed.
        var json = args.Contains("--json", StringComparer.Ordinal);
        if (parsed.Errors.Count > 0 && parsed.Action?.ClearsParseErrors != true)
        {
            return await FailAsync(error, json, $"{OneLine(parsed.Errors[0].Message)} (see taskqueue {CommandPath(parsed)}--help)", UsageError).ConfigureAwait(false);
        }

        try
        {
            return await parsed.InvokeAsync(
                new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null },
                cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return await FailAsync(error, json, "cancelled", Cancelled).ConfigureAwait(false);
        }
        catch (Exception ex) when (Describe(ex, context.ConnectedEndpoint) is { } described)
        {
            return await FailAsync(error, json, described.Message, described.ExitCode).ConfigureAwait(false);
        }
    }

    /// <summary>Writes the one-line error, as <c>taskqueue: ...</c> or, with <c>--json</c>, as a JSON object; returns the exit code.</summary>
    private static async Task<int> FailAsync(TextWriter error, bool json, string message, int exitCode)
    {
        if (!json)
        {
            await error.WriteLineAsync($"taskqueue: {message}").ConfigureAwait(false);
            return exitCode;
        }

        using var buffer = new MemoryStream();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer, new System.Text.Json.JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("error", message);
            writer.WriteNumber("exitCode", exitCode);
            writer.WriteEndObject();
        }

        await error.WriteLineAsync(System.Text.Encoding.UTF8.GetString(buffer.ToArray())).ConfigureAwait(false);
        return exitCode;
    }

    /// <summary>The one line and exit code for an error a user can cause; null for a bug, which keeps its stack trace.</summary>
    private static (string Message, int ExitCode)? Describe(Exception ex, Uri? endpoint) => ex switch
    {
        UsageException usage => (OneLine(usage.Message), UsageError),
        CommandFailedException failed => (OneLine(failed.Message), Failure),
        ArgumentException argument => (OneLine(WithoutParameterName(argument)), UsageError),
        OptionsValidationException options => (OneLine(options.Message), UsageError),
        TaskQueueException { IsTransient: true } unreachable when AwsEndpoint.NetworkFault(unreachable.InnerException) is { } fault =>
            ($"cannot reach {endpoint?.ToString() ?? "SQS"}: check --endpoint (or AWS_ENDPOINT_URL_SQS), --region and that the server is up ({OneLine(fault.Message)})", Failure),
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
