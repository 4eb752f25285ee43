using System.Globalization;

namespace TaskQueue.FaultTests.Harness;

/// <summary>One announcement a fault worker's completion handler heard (an <c>A</c> line of its completion log).</summary>
public sealed record Announcement(string EntityId, string BatchId, int Revision, int DeadLettered, long UnixMilliseconds, int ProcessId);

/// <summary>One SIGKILL of a worker process: which slot and process, when, after how many batches were announced.</summary>
public sealed record WorkerKill(int Slot, int ProcessId, long UnixMilliseconds, int AnnouncedBefore);

/// <summary>
/// An announcement of a batch revision heard again after <paramref name="Earlier"/>. It is explained when the earlier
/// announcer was SIGKILLed after announcing and before the repeat: it died between announcing and marking the revision
/// announced in the ledger (the only window the ledger leaves open), so the claim passed on with the message.
/// </summary>
public sealed record DuplicateAnnouncement(Announcement Earlier, Announcement Repeat, long? KilledAfterMilliseconds)
{
    public bool Explained => KilledAfterMilliseconds is not null;
}

/// <summary>A task's dead-lettering heard again (an <c>OnTaskDeadLetteredAsync</c> call after the first), by whom and whether the earlier caller was killed in between.</summary>
public sealed record DeadLetterEventRepeat(string TaskId, int EarlierProcess, int RepeatProcess, long ApartMilliseconds, bool EarlierKilledBetween);

/// <summary>How long after its batch's last task an announcement came, and whether a worker kill fell in between.</summary>
public sealed record AnnouncementDelay(long Milliseconds, bool KillBetween);

/// <summary>What the announcements in the completion logs say: who announced what, the repeats and their causes, and how long after a batch's last task.</summary>
internal static class Announcements
{
    public static List<Announcement> Read(TaskRecords records) =>
    [
        .. records.OfKind('A').Select(r =>
        {
            var parts = r.TaskId.Split(':');
            return new Announcement(parts[0], parts[1], Int(parts[2]), Int(parts[3]), r.UnixMilliseconds, r.ProcessId);
        }),
    ];

    /// <summary>The first announcement of each batch revision, in time order.</summary>
    public static List<Announcement> Firsts(IEnumerable<Announcement> announcements) =>
        [.. announcements.GroupBy(a => (a.EntityId, a.BatchId, a.Revision)).Select(g => g.MinBy(a => a.UnixMilliseconds)!)];

    /// <summary>Every announcement after the first of its batch revision, each with the kill of the announcer before it, if any.</summary>
    public static List<DuplicateAnnouncement> Duplicates(IEnumerable<Announcement> announcements, IReadOnlyList<WorkerKill> kills)
    {
        var duplicates = new List<DuplicateAnnouncement>();
        foreach (var heard in announcements.GroupBy(a => (a.EntityId, a.BatchId, a.Revision)))
        {
            var ordered = heard.OrderBy(a => a.UnixMilliseconds).ToList();
            for (var i = 1; i < ordered.Count; i++)
            {
                var (earlier, repeat) = (ordered[i - 1], ordered[i]);
                var kill = kills.FirstOrDefault(k => k.ProcessId == earlier.ProcessId && k.UnixMilliseconds >= earlier.UnixMilliseconds && k.UnixMilliseconds <= repeat.UnixMilliseconds);
                duplicates.Add(new DuplicateAnnouncement(earlier, repeat, kill is null ? null : kill.UnixMilliseconds - earlier.UnixMilliseconds));
            }
        }

        return duplicates;
    }

    /// <summary>Every dead-letter event after the first of its task.</summary>
    public static List<DeadLetterEventRepeat> DeadLetterRepeats(TaskRecords records, IReadOnlyList<WorkerKill> kills) =>
    [
        .. records.OfKind('D').GroupBy(r => r.TaskId, StringComparer.Ordinal).SelectMany(heard =>
        {
            var ordered = heard.OrderBy(r => r.UnixMilliseconds).ToList();
            return ordered.Skip(1).Select((repeat, i) => new DeadLetterEventRepeat(
                repeat.TaskId, ordered[i].ProcessId, repeat.ProcessId, repeat.UnixMilliseconds - ordered[i].UnixMilliseconds,
                kills.Any(k => k.ProcessId == ordered[i].ProcessId && k.UnixMilliseconds >= ordered[i].UnixMilliseconds && k.UnixMilliseconds <= repeat.UnixMilliseconds)));
        }),
    ];

    /// <summary>
    /// For each first announcement, the milliseconds from its batch's last task to it. A task's moment is its first
    /// completion record (the handler returned; a kill before the fate was recorded adds the time until it ran again), or,
    /// for a task that never completed, its last failed attempt or start. Only records from <paramref name="notBefore"/>
    /// count, so that after a redrive the batch's last task is the redriven one.
    /// </summary>
    public static List<AnnouncementDelay> LastTaskToAnnouncement(
        IEnumerable<Announcement> firsts, TaskRecords records, Func<Announcement, IEnumerable<string>> taskIds, IReadOnlyList<WorkerKill> kills, long notBefore)
    {
        var byTask = records.All.Where(r => r.Kind is 'S' or 'C' or 'F' && r.UnixMilliseconds >= notBefore).ToLookup(r => r.TaskId, StringComparer.Ordinal);
        var latencies = new List<AnnouncementDelay>();
        foreach (var announcement in firsts)
        {
            var moments = taskIds(announcement)
                .Select(id => byTask[id].Where(r => r.UnixMilliseconds <= announcement.UnixMilliseconds).ToList())
                .Where(runs => runs.Count > 0)
                .Select(runs => runs.Any(r => r.Completed) ? runs.Where(r => r.Completed).Min(r => r.UnixMilliseconds) : runs.Max(r => r.UnixMilliseconds))
                .ToList();
            if (moments.Count > 0)
            {
                var last = moments.Max();
                latencies.Add(new AnnouncementDelay(announcement.UnixMilliseconds - last, kills.Any(k => k.UnixMilliseconds >= last && k.UnixMilliseconds <= announcement.UnixMilliseconds)));
            }
        }

        return latencies;
    }

    /// <summary>The nearest-rank percentile of <paramref name="values"/> (0 when empty).</summary>
    public static long Percentile(IReadOnlyCollection<long> values, double percent)
    {
        if (values.Count == 0)
        {
            return 0;
        }

        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(percent / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    private static int Int(string text) => int.Parse(text, CultureInfo.InvariantCulture);
}
