using System.Diagnostics;
using System.Reflection;
using System.Text.Json;

namespace TaskQueue.Benchmarks.Report;

/// <summary>Runs one part of the benchmark in a fresh process of this app, so each gets a clean heap and its own peak memory.</summary>
public static class ChildProcess
{
    /// <summary>The prefix of the line a child prints its result on, as JSON.</summary>
    public const string ResultPrefix = "RESULT ";

    /// <summary>Runs this app with <paramref name="arguments"/>, echoes its output to stderr and returns its result.</summary>
    public static async Task<T> RunAsync<T>(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        using var child = Process.Start(StartInfo(arguments)) ?? throw new InvalidOperationException("could not start " + string.Join(' ', arguments));
        string? result = null;
        while (await child.StandardOutput.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.StartsWith(ResultPrefix, StringComparison.Ordinal))
            {
                result = line[ResultPrefix.Length..];
            }
            else
            {
                await Console.Error.WriteLineAsync(line).ConfigureAwait(false);
            }
        }

        await child.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (child.ExitCode != 0 || result is null)
        {
            throw new InvalidOperationException($"benchmark part '{string.Join(' ', arguments)}' failed with exit code {child.ExitCode}");
        }

        return JsonSerializer.Deserialize<T>(result) ?? throw new InvalidOperationException("empty result");
    }

    /// <summary>How to start this app with <paramref name="arguments"/>, its stdout redirected.</summary>
    public static ProcessStartInfo StartInfo(IReadOnlyList<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("no process path");
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }
}
