using System.Globalization;

namespace TaskQueue.FaultTests.Harness;

/// <summary>
/// One line of the fault worker's completion log: a task started (<c>S</c>), completed (<c>C</c>) or failed (<c>F</c>);
/// with entity tracking also a completion announced (<c>A</c>), a dead-lettering announced (<c>D</c>) and a DynamoDB
/// request (<c>R</c>), whose <see cref="TaskId"/> says what (see the worker's CompletionLog).
/// </summary>
public sealed record TaskRecord(char Kind, string TaskId, long UnixMilliseconds, int ProcessId)
{
    public bool Completed => Kind == 'C';
}

/// <summary>Reads the completion log the fault workers append to, and what it says about the run.</summary>
public sealed class TaskRecords(IReadOnlyList<TaskRecord> records)
{
    public IReadOnlyList<TaskRecord> All => records;

    public IEnumerable<TaskRecord> Completions => records.Where(r => r.Completed);

    public IEnumerable<TaskRecord> Starts => records.Where(r => r.Kind == 'S');

    public IEnumerable<TaskRecord> OfKind(char kind) => records.Where(r => r.Kind == kind);

    public int CompletedDistinct => Completions.Select(r => r.TaskId).Distinct().Count();

    /// <summary>Completions beyond the first of each task: the tasks that ran to the end more than once.</summary>
    public int DuplicateCompletions => Completions.Count() - CompletedDistinct;

    /// <summary>Reads the logs of every worker process given <paramref name="path"/> (<c>{path}.{pid}</c>).</summary>
    public static TaskRecords Read(string path)
    {
        var directory = Path.GetDirectoryName(path)!;
        if (!Directory.Exists(directory))
        {
            return new TaskRecords([]);
        }

        return new TaskRecords(Directory.GetFiles(directory, Path.GetFileName(path) + ".*").SelectMany(ReadFile).ToList());
    }

    /// <summary>Reads one process's log; a last line without its newline (being written) is left for the next read.</summary>
    private static List<TaskRecord> ReadFile(string path)
    {
        string text;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        using (var reader = new StreamReader(stream))
        {
            text = reader.ReadToEnd();
        }

        var list = new List<TaskRecord>();
        var complete = text.LastIndexOf('\n');
        foreach (var line in text[..(complete + 1)].Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ');
            list.Add(new TaskRecord(parts[0][0], parts[1], long.Parse(parts[2], CultureInfo.InvariantCulture), int.Parse(parts[3], CultureInfo.InvariantCulture)));
        }

        return list;
    }

    /// <summary>Tasks the process started and had not completed: what it held when it was killed.</summary>
    public int RunningIn(int processId)
    {
        var mine = records.Where(r => r.ProcessId == processId).ToList();
        return mine.Count(r => r.Kind == 'S') - mine.Count(r => r.Kind is 'C' or 'F');
    }
}
