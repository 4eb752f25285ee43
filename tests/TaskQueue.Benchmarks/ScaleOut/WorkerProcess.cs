using System.Diagnostics;
using System.Globalization;
using TaskQueue.Benchmarks.Report;

namespace TaskQueue.Benchmarks.ScaleOut;

/// <summary>A <see cref="ScaleWorker"/> child process, seen from the orchestrator: its readiness, its progress, its memory.</summary>
public sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _reading;
    private long _done;
    private long _lastMoved;
    private double _cpuSeconds;
    private long _handled;

    private WorkerProcess(Process process)
    {
        _process = process;
        _reading = Task.Run(ReadAsync);
    }

    /// <summary>The process id.</summary>
    public int Id => _process.Id;

    /// <summary>Completes when the worker has drained its warm-up queue.</summary>
    public Task Ready => _ready.Task;

    /// <summary>Tasks deleted after success in the measured run, as last reported.</summary>
    public long Done => Interlocked.Read(ref _done);

    /// <summary>The <see cref="Stopwatch"/> timestamp at which <see cref="Done"/> was last seen to move.</summary>
    public long LastMoved => Interlocked.Read(ref _lastMoved);

    /// <summary>Handler calls since the warm-up ended, as last reported.</summary>
    public long Handled => Interlocked.Read(ref _handled);

    /// <summary>The process's CPU seconds, as last reported.</summary>
    public double CpuSeconds => Volatile.Read(ref _cpuSeconds);

    /// <summary>Starts a worker process.</summary>
    public static WorkerProcess Start(WorkerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var start = ChildProcess.StartInfo(["scale-worker", .. settings.ToArguments()]);
        start.RedirectStandardInput = true;
        return new(Process.Start(start) ?? throw new InvalidOperationException("could not start a worker process"));
    }

    /// <summary>Starts the measured run.</summary>
    public Task GoAsync() => SayAsync(ScaleWorker.Go);

    /// <summary>Stops the worker gracefully and waits for it to exit.</summary>
    public async Task StopAsync()
    {
        await SayAsync(ScaleWorker.Stop).ConfigureAwait(false);
        await _reading.ConfigureAwait(false);
        await _process.WaitForExitAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        _process.Dispose();
    }

    private async Task SayAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line).ConfigureAwait(false);
        await _process.StandardInput.FlushAsync().ConfigureAwait(false);
    }

    private async Task ReadAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            if (line == ScaleWorker.Ready)
            {
                _ready.TrySetResult();
            }
            else if (line.StartsWith(ScaleWorker.ProgressPrefix, StringComparison.Ordinal))
            {
                var fields = line[ScaleWorker.ProgressPrefix.Length..].Split(' ');
                var done = long.Parse(fields[0], CultureInfo.InvariantCulture);
                if (done != Done)
                {
                    Interlocked.Exchange(ref _lastMoved, long.Parse(fields[1], CultureInfo.InvariantCulture));
                    Interlocked.Exchange(ref _done, done);
                }

                Volatile.Write(ref _cpuSeconds, double.Parse(fields[2], CultureInfo.InvariantCulture));
                Interlocked.Exchange(ref _handled, long.Parse(fields[3], CultureInfo.InvariantCulture));
            }
            else
            {
                await Console.Error.WriteLineAsync(line).ConfigureAwait(false);
            }
        }

        _ready.TrySetException(new InvalidOperationException($"worker process {_process.Id} ended before it was ready"));
    }
}
