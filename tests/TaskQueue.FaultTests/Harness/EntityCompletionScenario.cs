using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using TaskQueue.Sqs;
using TaskQueue.TestSupport;

namespace TaskQueue.FaultTests.Harness;

/// <summary>What the ledger and the workers' logs said after one phase of <see cref="EntityCompletionScenario"/>.</summary>
/// <param name="Announced">Batches announced (first announcements of the phase's revision).</param>
/// <param name="Duplicates">Announcements heard again, each with its cause.</param>
/// <param name="Mismatches">Where the ledger, the DLQ or the announcements disagree with what the workers did; empty when all agree.</param>
/// <param name="Latencies">From each announced batch's last task to its announcement, and whether a worker kill fell in between.</param>
/// <param name="LedgerRequests">The workers' DynamoDB requests, by action.</param>
/// <param name="Elapsed">From the workers' start to every batch announced and the queue empty.</param>
public sealed record EntityPhase(
    int Announced,
    IReadOnlyList<DuplicateAnnouncement> Duplicates,
    IReadOnlyList<string> Mismatches,
    IReadOnlyList<AnnouncementDelay> Latencies,
    IReadOnlyDictionary<string, long> LedgerRequests,
    TimeSpan Elapsed)
{
    /// <summary>The workers' ledger writes that were answered, by which write and how it ended (<c>record:written</c>, <c>claim:refused</c>...).</summary>
    public IReadOnlyDictionary<string, long> LedgerWrites { get; init; } = new Dictionary<string, long>();

    /// <summary>Notes of failed attempts written beyond a task's logged failures but its last, by the kind of task.</summary>
    public ExtraNotes ExtraNotes { get; init; } = new(0, 0, 0);
}

/// <summary>
/// Notes of failed attempts (records of a pending fate) written beyond one per logged failure but the last of a task
/// that always fails (whose last is its dead-lettering): of such tasks with fewer failures logged than maxReceiveCount
/// (an attempt ended with its worker killed, and the last one, if so, left to the redrive policy), of such tasks with
/// all their failures logged, and of tasks that never fail.
/// </summary>
public sealed record ExtraNotes(int FailingWithFailuresMissing, int FailingWithEveryFailure, int NeverFailing);

/// <summary>The outcome of <see cref="EntityCompletionScenario"/>.</summary>
public sealed record EntityCompletionResult(
    int Entities,
    int TasksPerEntity,
    int Workers,
    int Concurrency,
    TimeSpan VisibilityTimeout,
    int MaxReceiveCount,
    IReadOnlyList<WorkerKill> Kills,
    int ServerRestartAnnouncedBefore,
    TimeSpan ServerDowntime,
    int FailingTasks,
    int DeadLetteredTasks,
    int FailingTasksDeadLettered,
    int DeadLetterEvents,
    IReadOnlyList<DeadLetterEventRepeat> DeadLetterEventRepeats,
    int FailedAttempts,
    int BatchesAnnouncedWithDeadLetter,
    int ReopenedBatches,
    int Redriven,
    long EnqueueLedgerRequests,
    EntityPhase Faults,
    EntityPhase Redrive,
    bool QueuesEmpty,
    IReadOnlyList<int> ExitCodes,
    string LogTail);

/// <summary>
/// Entity completion under faults: entities of five tasks each, enqueued with the DynamoDB ledger (dynalite, one table
/// for all), run by three fault worker processes with entity tracking over that table, each recording every
/// announcement its completion handler hears. Workers are SIGKILLed at random moments and restarted, and the SQS server
/// (the suite's own fauxqs, persistence on) is SIGKILLed once and restarted on the same port; DynamoDB stays up. A few
/// entities have one task that always throws, so it is dead-lettered at maxReceiveCount. Then the dead letters are
/// redriven and a worker with the failing handler fixed runs them: their batches reopen and are announced again.
/// </summary>
public static class EntityCompletionScenario
{
    public const int TasksPerEntity = 5;
    public const int Workers = 3;
    public const int Concurrency = 8;
    public const int MaxReceiveCount = 4;
    public static readonly TimeSpan VisibilityTimeout = TimeSpan.FromSeconds(10);

    public static async Task<EntityCompletionResult> RunAsync(int entities, int failingEntities, int kills, string workDirectory, int seed, TimeSpan patience)
    {
        var random = new Random(seed);
        await using var server = await PersistentSqsServer.CreateAsync(Path.Combine(workDirectory, "entities-server"));
        using var sdk = server.CreateSdkClient();
        var sqs = new AwsSqsClient(sdk);
        await using var queues = await TestQueues.CreateAsync(sqs, MaxReceiveCount, VisibilityTimeout, testName: "fault-entities");
        using var dynamoDb = LocalDynamoDbServer.CreateClient();
        var table = LocalDynamoDbServer.UniqueTableName("fault-entities");
        await DynamoDbEntityLedger.EnsureTableAsync(dynamoDb, table);
        long producerRequests = 0;
        dynamoDb.BeforeRequestEvent += (_, _) => Interlocked.Increment(ref producerRequests);
        var ledger = new DynamoDbEntityLedger(dynamoDb, new DynamoDbEntityLedgerOptions { TableName = table });
        var producer = new TaskQueueHandler(
            sqs, Options.Create(new TaskQueueOptions { QueueUrl = queues.QueueUrl, DeadLetterQueueUrl = queues.DeadLetterQueueUrl }), entityTracking: new EntityTracking(ledger));

        var plan = Plan(entities, failingEntities, random);
        var failing = plan.SelectMany(p => p.Tasks.Where(t => t.Fails).Select(t => TaskId(p.EntityId, t.Name))).ToHashSet(StringComparer.Ordinal);
        var batches = await EnqueueAsync(producer, plan);
        var enqueueRequests = Interlocked.Read(ref producerRequests);

        var completions = Path.Combine(workDirectory, "entities-completions.log");
        string[] common =
        [
            "--concurrency", Concurrency.ToString(CultureInfo.InvariantCulture), "--visibility", VisibilityTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            "--receive-wait", "1", "--retry-backoff", "1", "--ledger-table", table, "--dynamodb-endpoint", LocalDynamoDbServer.Endpoint.ToString(), "--dead-letter-check", "2",
        ];
        WorkerProcess StartWorker(int slot, params string[] extra) => WorkerProcess.Start(
            server.Endpoint, queues.QueueUrl, queues.DeadLetterQueueUrl, completions, Path.Combine(workDirectory, $"entities-worker-{slot}.log"), [.. common, .. extra]);
        int AnnouncedNow() => Announcements.Firsts(Announcements.Read(TaskRecords.Read(completions))).Count;

        var workers = Enumerable.Range(0, Workers).Select(slot => StartWorker(slot)).ToArray();
        var exitCodes = new List<int>();
        try
        {
            // Phase 1: kills of random workers and one server restart, each once a random share of the batches was announced.
            var clock = Stopwatch.StartNew();
            var faults = Enumerable.Range(0, kills).Select(_ => (At: random.Next(entities / 10, (entities * 85 / 100) + 1), Kill: true))
                .Append((At: random.Next(entities * 3 / 10, (entities * 7 / 10) + 1), Kill: false))
                .OrderBy(f => f.At)
                .ToList();
            var killed = new List<WorkerKill>();
            var (restartAnnouncedBefore, downtime) = (0, TimeSpan.Zero);
            foreach (var (at, kill) in faults)
            {
                if (!await FaultQueue.WaitUntilAsync(() => AnnouncedNow() >= at, patience))
                {
                    throw new TimeoutException($"{at} batches were not announced within {patience}: {workers[0].LogTail()}");
                }

                if (kill)
                {
                    await Task.Delay(random.Next(0, 250));
                    var slot = random.Next(Workers);
                    var victim = workers[slot];
                    await victim.KillAsync();
                    killed.Add(new WorkerKill(slot, victim.Id, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), AnnouncedNow()));
                    await victim.DisposeAsync();
                    workers[slot] = StartWorker(slot);
                }
                else
                {
                    restartAnnouncedBefore = AnnouncedNow();
                    var down = Stopwatch.StartNew();
                    await server.KillAsync();
                    await Task.Delay(random.Next(3000, 4500));
                    await server.StartAsync();
                    downtime = down.Elapsed;
                }
            }

            await FaultQueue.WaitUntilAsync(() => AnnouncedNow() >= entities, patience);
            await FaultQueue.WaitUntilAsync(() => FaultQueue.IsEmptyAsync(sqs, queues.QueueUrl), TimeSpan.FromSeconds(60));
            var faultsElapsed = clock.Elapsed;
            exitCodes.AddRange(await TerminateAsync(workers, patience));
            foreach (var worker in workers)
            {
                await worker.DisposeAsync();
            }

            workers = [];

            // What the DLQ holds: every dead letter, once no dead-letter check holds any (a killed worker's hold runs out in 30 s).
            await FaultQueue.WaitUntilAsync(async () => (await FaultQueue.CountsAsync(sqs, queues.DeadLetterQueueUrl)).InFlight == 0, TimeSpan.FromSeconds(60));
            var afterFaults = TaskRecords.Read(completions);
            var ledgerAfterFaults = await ReadLedgerAsync(ledger, batches.Keys);
            var deadLettered = ledgerAfterFaults.SelectMany(b => b.Value.Tasks.Where(t => t.State == EntityTaskState.DeadLettered).Select(t => TaskId(b.Key, t.TaskName)))
                .ToHashSet(StringComparer.Ordinal);

            // Phase 2: the dead letters redriven, a worker with the failing handler fixed runs them.
            var redriveFrom = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            clock.Restart();
            var redrive = await producer.RedriveDeadLettersAsync(new RedriveOptions());
            var inDeadLetterQueue = redrive.Matched.Select(m => TaskId(m.EntityId ?? "?", m.TaskName ?? "?")).ToHashSet(StringComparer.Ordinal);
            var reopened = deadLettered.Select(EntityOf).ToHashSet(StringComparer.Ordinal);
            workers = [StartWorker(Workers, "--failing", "fixed")];
            int ReannouncedNow() => Announcements.Firsts(Announcements.Read(TaskRecords.Read(completions))).Count(a => a.Revision == 2);
            await FaultQueue.WaitUntilAsync(() => ReannouncedNow() >= reopened.Count, patience);
            await FaultQueue.WaitUntilAsync(() => FaultQueue.IsEmptyAsync(sqs, queues.QueueUrl), TimeSpan.FromSeconds(60));
            var redriveElapsed = clock.Elapsed;
            exitCodes.AddRange(await TerminateAsync(workers, patience));
            var queuesEmpty = await FaultQueue.IsEmptyAsync(sqs, queues.QueueUrl) && await FaultQueue.IsEmptyAsync(sqs, queues.DeadLetterQueueUrl);

            var final = TaskRecords.Read(completions);
            var ledgerAtEnd = await ReadLedgerAsync(ledger, batches.Keys);
            var announcements = Announcements.Read(final);
            var duplicates = Announcements.Duplicates(announcements, killed);
            IEnumerable<string> TasksOf(Announcement a) => Enumerable.Range(0, TasksPerEntity).Select(k => TaskId(a.EntityId, TaskName(k)));

            var firstFaults = Announcements.Firsts(announcements).Where(a => a.Revision == 1).ToList();
            var faultMismatches = CheckAfterFaults(batches, ledgerAfterFaults, firstFaults, afterFaults, failing, inDeadLetterQueue);
            var faultPhase = new EntityPhase(
                firstFaults.Count, [.. duplicates.Where(d => d.Earlier.Revision == 1)], faultMismatches,
                Announcements.LastTaskToAnnouncement(firstFaults, afterFaults, TasksOf, killed, 0), RequestsByAction(afterFaults.OfKind('R')), faultsElapsed)
            {
                LedgerWrites = WritesByKind(afterFaults.OfKind('W')),
                ExtraNotes = ExtraNotesOf(afterFaults, failing),
            };

            var firstRedrive = Announcements.Firsts(announcements).Where(a => a.Revision == 2).ToList();
            var redrivePhase = new EntityPhase(
                firstRedrive.Count, [.. duplicates.Where(d => d.Earlier.Revision == 2)], CheckAfterRedrive(batches, ledgerAtEnd, firstRedrive, reopened),
                Announcements.LastTaskToAnnouncement(firstRedrive, final, TasksOf, killed, redriveFrom),
                RequestsByAction(final.OfKind('R').Where(r => r.UnixMilliseconds >= redriveFrom)), redriveElapsed);

            return new EntityCompletionResult(
                entities, TasksPerEntity, Workers, Concurrency, VisibilityTimeout, MaxReceiveCount, killed, restartAnnouncedBefore, downtime,
                failing.Count, deadLettered.Count, failing.Count(deadLettered.Contains), afterFaults.OfKind('D').Count(), Announcements.DeadLetterRepeats(afterFaults, killed), afterFaults.OfKind('F').Count(),
                firstFaults.Count(a => a.DeadLettered > 0), reopened.Count, redrive.Moved, enqueueRequests,
                faultPhase, redrivePhase, queuesEmpty, exitCodes, workers[0].LogTail());
        }
        finally
        {
            foreach (var worker in workers)
            {
                await worker.DisposeAsync();
            }

            await dynamoDb.DeleteTableAsync(table);
        }
    }

    /// <summary>After the faults: every batch announced once (or again after its announcer's kill), complete at revision 1, each dead-lettered task in the DLQ.</summary>
    private static List<string> CheckAfterFaults(
        IReadOnlyDictionary<string, string> batches,
        Dictionary<string, EntityBatchStatus> ledger,
        IReadOnlyList<Announcement> firsts,
        TaskRecords records,
        HashSet<string> failing,
        HashSet<string> inDeadLetterQueue)
    {
        var completed = records.Completions.Select(c => c.TaskId).ToHashSet(StringComparer.Ordinal);
        var announced = firsts.ToDictionary(a => a.EntityId, StringComparer.Ordinal);
        var mismatches = new List<string>();
        foreach (var (entity, batchId) in batches)
        {
            var batch = ledger[entity];
            var deadLettered = batch.Tasks.Where(t => t.State == EntityTaskState.DeadLettered).Select(t => TaskId(entity, t.TaskName)).ToList();
            var why = new[]
            {
                announced.TryGetValue(entity, out var announcement) ? null : "never announced",
                announcement is null || announcement.BatchId == batchId ? null : $"announced batch {announcement.BatchId}",
                announcement is null || announcement.DeadLettered == deadLettered.Count ? null : $"announced {announcement?.DeadLettered} dead-lettered, the ledger has {deadLettered.Count}",
                batch.BatchId == batchId && batch is { IsComplete: true, Revision: 1, AnnouncedRevision: 1 } ? null : $"ledger: complete {batch.IsComplete}, revision {batch.Revision}, announced {batch.AnnouncedRevision}",
                deadLettered.All(inDeadLetterQueue.Contains) ? null : "a dead-lettered task is not in the DLQ",
                batch.Tasks.Where(t => t.State == EntityTaskState.Completed).All(t => completed.Contains(TaskId(entity, t.TaskName))) ? null : "a task the ledger calls completed never completed",
                batch.Tasks.Where(t => failing.Contains(TaskId(entity, t.TaskName))).All(t => t.State == EntityTaskState.DeadLettered) ? null : "its failing task is not dead-lettered",
            }.OfType<string>().ToList();
            if (why.Count > 0)
            {
                mismatches.Add($"{entity}: {string.Join("; ", why)}");
            }
        }

        mismatches.AddRange(inDeadLetterQueue.Where(id => !ledger.TryGetValue(EntityOf(id), out var b) || b.Tasks.All(t => TaskId(b.EntityId, t.TaskName) != id || t.State != EntityTaskState.DeadLettered))
            .Select(id => $"{id}: in the DLQ, not dead-lettered in the ledger"));
        return mismatches;
    }

    /// <summary>After the redrive: each reopened batch announced at revision 2 with every task completed; the others untouched at revision 1.</summary>
    private static List<string> CheckAfterRedrive(
        IReadOnlyDictionary<string, string> batches, Dictionary<string, EntityBatchStatus> ledger, IReadOnlyList<Announcement> firsts, HashSet<string> reopened)
    {
        var announced = firsts.ToDictionary(a => a.EntityId, StringComparer.Ordinal);
        var mismatches = new List<string>();
        foreach (var entity in batches.Keys)
        {
            var batch = ledger[entity];
            var revision = reopened.Contains(entity) ? 2 : 1;
            var allCompleted = batch.Tasks.Count == TasksPerEntity && batch.Tasks.All(t => t.State == EntityTaskState.Completed);
            var ok = batch.Revision == revision && batch.AnnouncedRevision == revision && (revision == 1 || allCompleted)
                && (revision == 2 ? announced.TryGetValue(entity, out var a) && a.DeadLettered == 0 : !announced.ContainsKey(entity));
            if (!ok)
            {
                mismatches.Add($"{entity}: revision {batch.Revision}, announced {batch.AnnouncedRevision}, all completed {allCompleted}, re-announced {announced.ContainsKey(entity)} (expected revision {revision})");
            }
        }

        return mismatches;
    }

    private sealed record PlannedTask(string Name, int Milliseconds, bool Fails);

    /// <summary>Each entity's five tasks of 0 to 40 ms; in <paramref name="failingEntities"/> random entities one random task always throws.</summary>
    private static List<(string EntityId, List<PlannedTask> Tasks)> Plan(int entities, int failingEntities, Random random)
    {
        var failing = Enumerable.Range(0, entities).OrderBy(_ => random.Next()).Take(failingEntities).ToDictionary(e => e, _ => random.Next(TasksPerEntity));
        return
        [
            .. Enumerable.Range(0, entities).Select(e => (
                $"n{e.ToString("D4", CultureInfo.InvariantCulture)}",
                Enumerable.Range(0, TasksPerEntity).Select(k => new PlannedTask(TaskName(k), random.Next(0, 41), failing.TryGetValue(e, out var f) && f == k)).ToList())),
        ];
    }

    /// <summary>Enqueues each entity's tasks as one batch, four calls at once; the batch id of each entity.</summary>
    private static async Task<Dictionary<string, string>> EnqueueAsync(TaskQueueHandler producer, List<(string EntityId, List<PlannedTask> Tasks)> plan)
    {
        var batches = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < plan.Count)
            {
                var (entity, tasks) = plan[i];
                var specs = tasks.Select(t => new TaskSpec(t.Name, new JsonObject { ["id"] = TaskId(entity, t.Name), ["ms"] = t.Milliseconds, ["fail"] = t.Fails }));
                var result = await producer.EnqueueTasksAsync(entity, specs);
                batches[entity] = result.AllSucceeded ? result.BatchId : throw new InvalidOperationException($"enqueue of {entity} failed: {result.Failed.First().ErrorCode}");
            }
        })));
        return new Dictionary<string, string>(batches, StringComparer.Ordinal);
    }

    /// <summary>Each entity's one batch as the ledger has it, eight reads at once.</summary>
    private static async Task<Dictionary<string, EntityBatchStatus>> ReadLedgerAsync(DynamoDbEntityLedger ledger, IEnumerable<string> entities)
    {
        var read = new ConcurrentDictionary<string, EntityBatchStatus>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(entities, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (entity, token) =>
        {
            var batches = await ledger.GetBatchesAsync(entity, token);
            read[entity] = batches.Count == 1 ? batches[0] : throw new InvalidOperationException($"the ledger has {batches.Count} batches of {entity}, not 1");
        });
        return new Dictionary<string, EntityBatchStatus>(read, StringComparer.Ordinal);
    }

    private static async Task<List<int>> TerminateAsync(IEnumerable<WorkerProcess> workers, TimeSpan patience)
    {
        var running = workers.ToList();
        running.ForEach(w => w.Terminate());
        var codes = new List<int>();
        foreach (var worker in running)
        {
            codes.Add(await worker.WaitForExitAsync(patience));
        }

        return codes;
    }

    /// <summary>Counts the answered writes by kind and outcome, the first two parts of their ids.</summary>
    private static Dictionary<string, long> WritesByKind(IEnumerable<TaskRecord> writes) =>
        RequestsByAction(writes.Select(w => w with { TaskId = string.Join(':', w.TaskId.Split(':').Take(2)) }));

    private static ExtraNotes ExtraNotesOf(TaskRecords records, HashSet<string> failing)
    {
        var failures = records.OfKind('F').GroupBy(r => r.TaskId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var notes = records.OfKind('W').Select(w => w.TaskId.Split(':', 4))
            .Where(id => id is ["record", "written", "pending", _])
            .GroupBy(id => id[3], StringComparer.Ordinal);
        int failingShort = 0, failingFull = 0, neverFailing = 0;
        foreach (var task in notes)
        {
            var logged = failures.GetValueOrDefault(task.Key);
            var isFailing = failing.Contains(task.Key);
            var extra = task.Count() - Math.Max(0, logged - (isFailing ? 1 : 0));
            if (extra <= 0)
            {
                continue;
            }

            if (!isFailing)
            {
                neverFailing += extra;
            }
            else if (logged < MaxReceiveCount)
            {
                failingShort += extra;
            }
            else
            {
                failingFull += extra;
            }
        }

        return new ExtraNotes(failingShort, failingFull, neverFailing);
    }

    /// <summary>Counts records by their id: a request's action, or a write and its outcome.</summary>
    private static Dictionary<string, long> RequestsByAction(IEnumerable<TaskRecord> requests) =>
        requests.GroupBy(r => r.TaskId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal);

    private static string TaskName(int k) => "t" + k.ToString(CultureInfo.InvariantCulture);

    private static string TaskId(string entityId, string taskName) => $"{entityId}/{taskName}";

    private static string EntityOf(string taskId) => taskId[..taskId.IndexOf('/', StringComparison.Ordinal)];
}
