using System.Globalization;
using System.Text;

namespace TaskQueue.FaultWorker;

/// <summary>
/// An append-only record of what this process did, one line each: <c>{kind} {id} {unix ms} {pid}</c>, in
/// <c>{path}.{pid}</c>: a file per process, as processes appending to one file would overwrite each other's lines.
/// Kinds: <c>S</c> a task started, <c>C</c> completed, <c>F</c> failed (threw); <c>A</c> a batch's completion announced
/// and <c>D</c> a task's dead-lettering announced (the id <c>{entity}:{batch}:{revision}:{dead-lettered tasks}</c>, or
/// <c>{entity}:{batch}:{task}</c>); <c>R</c> a DynamoDB request about to be sent (the id is its action); <c>W</c> a
/// ledger write answered (the id <c>{write}:{outcome}</c>: record, reopen, claim or mark; written, refused by its
/// condition, or error; a record's id goes on with <c>:{state}:{entity}/{task}</c>).
/// Each line is flushed to the operating system before the caller goes on, so a SIGKILL of this process loses none
/// (only a crash of the machine could).
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

    public void Failed(string taskId) => Write('F', taskId);

    public void Announced(EntityBatchStatus batch) => Write(
        'A', string.Create(CultureInfo.InvariantCulture, $"{batch.EntityId}:{batch.BatchId}:{batch.Revision}:{batch.Tasks.Count(t => t.State == EntityTaskState.DeadLettered)}"));

    public void DeadLetterAnnounced(TaskFate fate) => Write('D', $"{fate.EntityId}:{fate.BatchId}:{fate.TaskName}");

    public void Requested(string action) => Write('R', action);

    public void Wrote(string writeAndOutcome) => Write('W', writeAndOutcome);

    private void Write(char kind, string id)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"{kind} {id} {DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()} {_pid}\n");
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
