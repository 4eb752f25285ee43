using System.Globalization;
using System.Text;

namespace TaskQueue.FaultWorker;

/// <summary>
/// An append-only record of the tasks this process started and completed, one line each:
/// <c>S|C {task id} {unix ms} {pid}</c>, in <c>{path}.{pid}</c>: a file per process, as processes appending to one
/// file would overwrite each other's lines. Each line is flushed to the operating system before the handler returns,
/// so a SIGKILL of this process loses none (only a crash of the machine could).
/// </summary>
internal sealed class CompletionLog : IDisposable
{
    private readonly object _lock = new();
    private readonly FileStream _file;
    private readonly int _pid = Environment.ProcessId;

    public CompletionLog(string path)
    {
        _file = new FileStream(FormattableString.Invariant($"{path}.{Environment.ProcessId}"), FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
    }

    public void Started(string taskId) => Write('S', taskId);

    public void Completed(string taskId) => Write('C', taskId);

    private void Write(char kind, string taskId)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"{kind} {taskId} {DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()} {_pid}\n");
        var bytes = Encoding.UTF8.GetBytes(line);
        lock (_lock)
        {
            // One write per line, flushed at once: the line is in the kernel's page cache before the task is acknowledged.
            _file.Write(bytes);
            _file.Flush(flushToDisk: false);
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _file.Flush(flushToDisk: true);
            _file.Dispose();
        }
    }
}
