namespace TaskQueue.FaultTests.Harness;

/// <summary>
/// The counts of each scenario: quick ones in the normal test command, full ones when
/// <c>TASKQUEUE_FAULTS=full</c> (set by <c>bash tests/faults.sh</c>).
/// </summary>
public sealed record FaultScale(
    string Name,
    int KillTasks,
    int KillGroups,
    int Kills,
    int KillTaskMaxMilliseconds,
    int RestartTasks,
    int RestartCount,
    int PoisonValid,
    int PoisonHostile,
    int RedriveHostile,
    int ShutdownGroups,
    int LongTasks,
    int Entities,
    int FailingEntities,
    int EntityKills)
{
    public const string Variable = "TASKQUEUE_FAULTS";

    public static FaultScale Quick { get; } = new("quick", 300, 30, 2, 300, 300, 1, 100, 100, 10, 4, 2, 40, 3, 2);

    public static FaultScale Full { get; } = new("full", 10_000, 100, 5, 40, 5_000, 3, 1_000, 1_000, 50, 8, 10, 1_000, 20, 6);

    public static FaultScale Current =>
        string.Equals(Environment.GetEnvironmentVariable(Variable), "full", StringComparison.OrdinalIgnoreCase) ? Full : Quick;
}
