using FluentAssertions;

namespace TaskQueue.LedgerTests.Contracts;

/// <summary>
/// What every <see cref="IEntityLedger"/> does, as its XML docs say: idempotent records, reopening by a redriven task,
/// one claim per revision, batches oldest first. Each test works on entities of its own, so tests share a ledger.
/// </summary>
public abstract class EntityLedgerContract(IEntityLedger ledger)
{
    private static readonly DateTimeOffset EnqueuedAt = new DateTimeOffset(2026, 11, 23, 10, 15, 30, TimeSpan.Zero).AddTicks(1234567);
    private static readonly DateTimeOffset FinishedAt = EnqueuedAt.AddMinutes(3).AddTicks(89);

    protected IEntityLedger Ledger { get; } = ledger;

    [Fact]
    public async Task A_batch_whose_tasks_all_completed_is_complete_and_keeps_what_each_fate_said()
    {
        var (entity, batch) = NewBatch();
        await Ledger.OpenBatchAsync(entity, batch, ["ocr", "yearBuilt"], EnqueuedAt, default);

        var half = await Ledger.RecordAsync(Fate(entity, batch, "ocr", 2, EntityTaskState.Completed, attempts: 2, error: "timeout"), default);
        var all = await Ledger.RecordAsync(Fate(entity, batch, "yearBuilt", 2, EntityTaskState.Completed, duration: TimeSpan.FromTicks(15_000_001)), default);

        half.IsComplete.Should().BeFalse();
        all.Should().BeEquivalentTo(new { EntityId = entity, BatchId = batch, TotalTasks = 2, EnqueuedAt, Revision = 1, AnnouncedRevision = 0, IsComplete = true, AllSucceeded = true });
        all.Tasks.Should().Equal(
            new EntityTaskStatus("ocr", EntityTaskState.Completed, 2, "timeout", FinishedAt, TimeSpan.FromSeconds(1.5)),
            new EntityTaskStatus("yearBuilt", EntityTaskState.Completed, 1, null, FinishedAt, TimeSpan.FromTicks(15_000_001)));
        all.CompletedAt.Should().Be(FinishedAt);
        (await Ledger.GetBatchesAsync(entity, default)).Should().ContainSingle().Which.Should().BeEquivalentTo(all);
    }

    [Fact]
    public async Task An_opened_batch_lists_its_tasks_as_pending_and_opening_it_again_resets_nothing()
    {
        var (entity, batch) = NewBatch();
        await Ledger.OpenBatchAsync(entity, batch, ["b", "a", "c"], EnqueuedAt, default);
        await Ledger.RecordAsync(Fate(entity, batch, "a", 3, EntityTaskState.DeadLettered, attempts: 5, error: "poison"), default);

        await Ledger.OpenBatchAsync(entity, batch, ["b", "a", "c"], EnqueuedAt.AddHours(1), default);

        var status = (await Ledger.GetBatchesAsync(entity, default)).Should().ContainSingle().Subject;
        status.EnqueuedAt.Should().Be(EnqueuedAt);
        status.TotalTasks.Should().Be(3);
        status.Tasks.Select(t => (t.TaskName, t.State)).Should().Equal(
            ("a", EntityTaskState.DeadLettered), ("b", EntityTaskState.Pending), ("c", EntityTaskState.Pending));
        status.Tasks[1].Should().Be(new EntityTaskStatus("b", EntityTaskState.Pending));
        status.FinishedTasks.Should().Be(1);
    }

    [Fact]
    public async Task A_batch_of_many_tasks_is_opened_whole()
    {
        var (entity, batch) = NewBatch();
        var names = Enumerable.Range(0, 130).Select(i => $"task-{i:D3}").ToList();

        await Ledger.OpenBatchAsync(entity, batch, names, EnqueuedAt, default);

        var status = (await Ledger.GetBatchesAsync(entity, default)).Should().ContainSingle().Subject;
        status.TotalTasks.Should().Be(130);
        status.Tasks.Select(t => t.TaskName).Should().Equal(names);
        status.Tasks.Should().OnlyContain(t => t.State == EntityTaskState.Pending);
    }

    [Fact]
    public async Task A_task_recorded_twice_counts_once()
    {
        var (entity, batch) = NewBatch();

        await Ledger.RecordAsync(Fate(entity, batch, "ocr", 2, EntityTaskState.Completed), default);
        var twice = await Ledger.RecordAsync(Fate(entity, batch, "ocr", 2, EntityTaskState.Completed, attempts: 2), default);

        twice.FinishedTasks.Should().Be(1);
        twice.IsComplete.Should().BeFalse();
        twice.Tasks.Should().ContainSingle().Which.Attempts.Should().Be(1, "recording the same fate again changes nothing");
        twice.Revision.Should().Be(1);
    }

    [Fact]
    public async Task A_completed_task_stays_completed_when_a_duplicate_delivery_is_dead_lettered()
    {
        var (entity, batch) = NewBatch();
        await Ledger.RecordAsync(Fate(entity, batch, "ocr", 1, EntityTaskState.Completed), default);

        var after = await Ledger.RecordAsync(Fate(entity, batch, "ocr", 1, EntityTaskState.DeadLettered, attempts: 4, error: "poison"), default);

        after.Tasks.Should().ContainSingle().Which.Should().Be(new EntityTaskStatus("ocr", EntityTaskState.Completed, 1, null, FinishedAt, TimeSpan.FromSeconds(1.5)));
        after.Revision.Should().Be(1);
        after.AllSucceeded.Should().BeTrue();
    }

    [Fact]
    public async Task A_dead_lettered_task_that_completes_after_a_redrive_reopens_the_batch_under_the_next_revision()
    {
        var (entity, batch) = NewBatch();
        await Ledger.RecordAsync(Fate(entity, batch, "ocr", 2, EntityTaskState.Completed), default);
        var deadLettered = await Ledger.RecordAsync(Fate(entity, batch, "yearBuilt", 2, EntityTaskState.DeadLettered, attempts: 3, error: "boom"), default);

        var redriven = await Ledger.RecordAsync(Fate(entity, batch, "yearBuilt", 2, EntityTaskState.Completed, attempts: 4), default);

        deadLettered.Should().BeEquivalentTo(new { Revision = 1, IsComplete = true, AllSucceeded = false });
        redriven.Should().BeEquivalentTo(new { Revision = 2, IsComplete = true, AllSucceeded = true });
        redriven.Tasks.Single(t => t.TaskName == "yearBuilt").Should().BeEquivalentTo(new { State = EntityTaskState.Completed, Attempts = 4 });
        (await Ledger.RecordAsync(Fate(entity, batch, "yearBuilt", 2, EntityTaskState.Completed, attempts: 4), default)).Revision.Should().Be(2, "completing it again changes nothing");
    }

    [Fact]
    public async Task A_task_dead_lettered_twice_is_recorded_once()
    {
        var (entity, batch) = NewBatch();
        await Ledger.RecordAsync(Fate(entity, batch, "ocr", 1, EntityTaskState.DeadLettered, attempts: 3, error: "first"), default);

        var again = await Ledger.RecordAsync(Fate(entity, batch, "ocr", 1, EntityTaskState.DeadLettered, attempts: 6, error: "second"), default);

        again.Tasks.Should().ContainSingle().Which.Should().BeEquivalentTo(new { State = EntityTaskState.DeadLettered, Attempts = 3, LastError = "first" });
        again.Revision.Should().Be(1);
    }

    [Fact]
    public async Task A_failed_attempt_updates_attempts_and_error_only_while_the_task_is_unfinished()
    {
        var (entity, batch) = NewBatch();
        await Ledger.OpenBatchAsync(entity, batch, ["ocr", "other"], EnqueuedAt, default);

        await Ledger.RecordAsync(Fate(entity, batch, "ocr", 2, EntityTaskState.Pending, attempts: 1, error: "first"), default);
        var second = await Ledger.RecordAsync(Fate(entity, batch, "ocr", 2, EntityTaskState.Pending, attempts: 2, error: "second"), default);
        await Ledger.RecordAsync(Fate(entity, batch, "ocr", 2, EntityTaskState.Completed, attempts: 3, error: "second"), default);
        var late = await Ledger.RecordAsync(Fate(entity, batch, "ocr", 2, EntityTaskState.Pending, attempts: 9, error: "stale"), default);

        second.Tasks[0].Should().Be(new EntityTaskStatus("ocr", EntityTaskState.Pending, 2, "second"));
        second.FinishedTasks.Should().Be(0);
        late.Tasks[0].Should().Be(new EntityTaskStatus("ocr", EntityTaskState.Completed, 3, "second", FinishedAt, TimeSpan.FromSeconds(1.5)));
    }

    [Fact]
    public async Task A_fate_recorded_without_an_opened_batch_creates_it_with_the_fate_s_total_and_enqueue_time()
    {
        var (entity, batch) = NewBatch();

        var status = await Ledger.RecordAsync(Fate(entity, batch, "ocr", 3, EntityTaskState.Completed), default);

        status.Should().BeEquivalentTo(new { EntityId = entity, BatchId = batch, TotalTasks = 3, EnqueuedAt, Revision = 1, AnnouncedRevision = 0, FinishedTasks = 1, IsComplete = false });
        status.Tasks.Should().ContainSingle().Which.TaskName.Should().Be("ocr");
    }

    [Fact]
    public async Task A_batch_created_by_a_fate_without_enqueue_time_takes_the_producer_s_later()
    {
        var (entity, batch) = NewBatch();
        await Ledger.RecordAsync(Fate(entity, batch, "ocr", 2, EntityTaskState.Completed) with { EnqueuedAt = null }, default);

        await Ledger.OpenBatchAsync(entity, batch, ["ocr", "yearBuilt"], EnqueuedAt, default);

        var status = (await Ledger.GetBatchesAsync(entity, default)).Should().ContainSingle().Subject;
        status.EnqueuedAt.Should().Be(EnqueuedAt);
        status.Tasks.Select(t => (t.TaskName, t.State)).Should().Equal(("ocr", EntityTaskState.Completed), ("yearBuilt", EntityTaskState.Pending));
    }

    [Fact]
    public async Task The_first_claimant_wins_another_loses_and_the_winner_may_claim_again()
    {
        var (entity, batch) = await CompletedBatchAsync();

        (await Ledger.TryClaimCompletionAsync(entity, batch, 1, "message-a", default)).Should().BeTrue();
        (await Ledger.TryClaimCompletionAsync(entity, batch, 1, "message-b", default)).Should().BeFalse();
        (await Ledger.TryClaimCompletionAsync(entity, batch, 1, "message-a", default)).Should().BeTrue("the claimant's message came back to another worker");
    }

    [Fact]
    public async Task Nobody_claims_an_announced_revision_and_a_reopened_batch_is_claimed_again()
    {
        var (entity, batch) = NewBatch();
        await Ledger.RecordAsync(Fate(entity, batch, "ocr", 1, EntityTaskState.DeadLettered, attempts: 3, error: "boom"), default);
        (await Ledger.TryClaimCompletionAsync(entity, batch, 1, "message-a", default)).Should().BeTrue();
        await Ledger.MarkAnnouncedAsync(entity, batch, 1, default);

        (await Ledger.TryClaimCompletionAsync(entity, batch, 1, "message-a", default)).Should().BeFalse();
        (await Ledger.TryClaimCompletionAsync(entity, batch, 1, "message-b", default)).Should().BeFalse();

        var reopened = await Ledger.RecordAsync(Fate(entity, batch, "ocr", 1, EntityTaskState.Completed, attempts: 4), default);
        reopened.Should().BeEquivalentTo(new { Revision = 2, AnnouncedRevision = 1, IsComplete = true });
        (await Ledger.TryClaimCompletionAsync(entity, batch, 2, "message-b", default)).Should().BeTrue();
        (await Ledger.TryClaimCompletionAsync(entity, batch, 2, "message-a", default)).Should().BeFalse();
    }

    [Fact]
    public async Task Marking_an_announcement_never_lowers_what_is_recorded()
    {
        var (entity, batch) = await CompletedBatchAsync();

        await Ledger.MarkAnnouncedAsync(entity, batch, 2, default);
        await Ledger.MarkAnnouncedAsync(entity, batch, 1, default);
        var afterLower = (await Ledger.GetBatchesAsync(entity, default)).Single();
        await Ledger.MarkAnnouncedAsync(entity, batch, 2, default);

        afterLower.AnnouncedRevision.Should().Be(2);
        (await Ledger.GetBatchesAsync(entity, default)).Should().ContainSingle().Which.AnnouncedRevision.Should().Be(2);
    }

    [Fact]
    public async Task Tasks_recorded_from_many_threads_are_all_counted_and_of_twenty_claimants_exactly_one_wins()
    {
        var (entity, batch) = NewBatch();
        var names = Enumerable.Range(0, 20).Select(i => $"task-{i:D2}").ToList();
        await Ledger.OpenBatchAsync(entity, batch, names, EnqueuedAt, default);

        // Each task twice, as a duplicate delivery would: 40 writes racing on one batch.
        var records = await Task.WhenAll(names.Concat(names).Select(name => Task.Run(() => Ledger.RecordAsync(Fate(entity, batch, name, 20, EntityTaskState.Completed), default))));
        var claims = await Task.WhenAll(names.Select(name => Task.Run(() => Ledger.TryClaimCompletionAsync(entity, batch, 1, "message-" + name, default))));

        records.Should().Contain(r => r.IsComplete, "the last write sees every task finished");
        records.Max(r => r.FinishedTasks).Should().Be(20);
        claims.Count(won => won).Should().Be(1);
        var status = (await Ledger.GetBatchesAsync(entity, default)).Should().ContainSingle().Subject;
        status.Should().BeEquivalentTo(new { FinishedTasks = 20, IsComplete = true, AllSucceeded = true, Revision = 1 });
    }

    [Fact]
    public async Task Batches_are_read_oldest_first_then_by_batch_id()
    {
        var entity = NewEntity();
        await Ledger.OpenBatchAsync(entity, "c-newest", ["ocr"], EnqueuedAt.AddMinutes(2), default);
        await Ledger.OpenBatchAsync(entity, "z-oldest", ["ocr"], EnqueuedAt.AddMinutes(-5), default);
        await Ledger.OpenBatchAsync(entity, "b-same", ["ocr"], EnqueuedAt, default);
        await Ledger.OpenBatchAsync(entity, "a-same", ["ocr"], EnqueuedAt, default);
        await Ledger.OpenBatchAsync(NewEntity(), "other-entity", ["ocr"], EnqueuedAt, default);

        var batches = await Ledger.GetBatchesAsync(entity, default);

        batches.Select(b => b.BatchId).Should().Equal("z-oldest", "a-same", "b-same", "c-newest");
    }

    [Fact]
    public async Task An_entity_without_batches_reads_as_empty()
    {
        (await Ledger.GetBatchesAsync(NewEntity(), default)).Should().BeEmpty();
    }

    [Theory]
    [InlineData("doc.v2#page:1")]
    [InlineData("t:ocr")]
    [InlineData("Ünïcødé-名前-🚀")]
    [InlineData("a name with spaces, 'quotes' and \"double quotes\"")]
    public async Task Odd_task_names_entity_ids_and_batch_ids_are_kept_as_written(string name)
    {
        var entity = NewEntity() + "/" + name;
        var batch = name + "." + Guid.NewGuid().ToString("N");
        var longName = name + new string('x', 220);
        await Ledger.OpenBatchAsync(entity, batch, [name, longName, "#state", ":pending"], EnqueuedAt, default);

        await Ledger.RecordAsync(Fate(entity, batch, name, 4, EntityTaskState.Completed), default);
        var status = await Ledger.RecordAsync(Fate(entity, batch, longName, 4, EntityTaskState.DeadLettered, attempts: 2, error: name), default);

        status.EntityId.Should().Be(entity);
        status.BatchId.Should().Be(batch);
        status.Tasks.Select(t => t.TaskName).Should().BeEquivalentTo([name, longName, "#state", ":pending"]);
        status.Tasks.Single(t => t.TaskName == longName).LastError.Should().Be(name);
        (await Ledger.TryClaimCompletionAsync(entity, batch, 1, name, default)).Should().BeTrue();
        (await Ledger.GetBatchesAsync(entity, default)).Should().ContainSingle().Which.FinishedTasks.Should().Be(2);
    }

    [Fact]
    public async Task A_long_entity_id_is_kept_as_written()
    {
        var entity = NewEntity() + new string('é', 210);
        var (_, batch) = NewBatch();

        await Ledger.RecordAsync(Fate(entity, batch, "ocr", 1, EntityTaskState.Completed), default);

        (await Ledger.GetBatchesAsync(entity, default)).Should().ContainSingle().Which.Should().BeEquivalentTo(new { EntityId = entity, BatchId = batch, IsComplete = true });
    }

    private static string NewEntity() => "doc-" + Guid.NewGuid().ToString("N");

    private static (string Entity, string Batch) NewBatch() => (NewEntity(), "batch-" + Guid.NewGuid().ToString("N"));

    private async Task<(string Entity, string Batch)> CompletedBatchAsync()
    {
        var (entity, batch) = NewBatch();
        (await Ledger.RecordAsync(Fate(entity, batch, "ocr", 1, EntityTaskState.Completed), default)).IsComplete.Should().BeTrue();
        return (entity, batch);
    }

    private static TaskFate Fate(string entity, string batch, string task, int total, EntityTaskState state, int attempts = 1, string? error = null, TimeSpan? duration = null) =>
        new(entity, batch, task, total, state, attempts, error, EnqueuedAt, FinishedAt, duration ?? TimeSpan.FromSeconds(1.5));
}
