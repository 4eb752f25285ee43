using System.Diagnostics;
using System.Globalization;

namespace TaskQueue.FaultTests.Harness;

/// <summary>
/// One fault worker process (<c>dotnet TaskQueue.FaultWorker.dll</c>), its output appended to a log file.
/// Killed (SIGKILL) or terminated (SIGTERM) by the scenarios; killed on dispose if still running.
/// </summary>
public sealed class WorkerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private WorkerProcess(Process process, string logPath)
    {
        _process = process;
        LogPath = logPath;
    }

    public int Id => _process.Id;

    public string LogPath { get; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Starts a worker on <paramref name="queueUrl"/> recording to <paramref name="completionsPath"/>; more worker options in <paramref name="extra"/>.</summary>
    public static WorkerProcess Start(Uri endpoint, string queueUrl, string? deadLetterQueueUrl, string completionsPath, string logPath, params string[] extra)
    {
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        // exec: the pid is the worker's own, so signals reach it and not a shell.
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec \"$0\" \"$@\" >>\"$FAULT_WORKER_LOG\" 2>&1");
        start.ArgumentList.Add(RepositoryPaths.DotnetHost);
        start.ArgumentList.Add(RepositoryPaths.WorkerDll);
        foreach (var argument in new[] { "--endpoint", endpoint.ToString(), "--queue", queueUrl, "--completions", completionsPath }.Concat(extra))
        {
            start.ArgumentList.Add(argument);
        }

        if (deadLetterQueueUrl is not null)
        {
            start.ArgumentList.Add("--dlq");
            start.ArgumentList.Add(deadLetterQueueUrl);
        }

        start.Environment["FAULT_WORKER_LOG"] = logPath;
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        return new WorkerProcess(Process.Start(start) ?? throw new InvalidOperationException("the fault worker did not start"), logPath);
    }

    /// <summary>SIGKILL: no shutdown, no flush; waits until the process is gone.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>SIGTERM: asks for the graceful shutdown.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>Waits for the process to end; its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        await _process.WaitForExitAsync().WaitAsync(timeout);
        return _process.ExitCode;
    }

    /// <summary>The end of the worker's log, for a failure message.</summary>
    public string LogTail(int lines = 30) =>
        File.Exists(LogPath) ? string.Join('\n', File.ReadLines(LogPath).TakeLast(lines)) : "(no log)";

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                await KillAsync();
            }
        }
        finally
        {
            _process.Dispose();
        }
    }
}
