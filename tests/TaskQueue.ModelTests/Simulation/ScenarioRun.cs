using TaskQueue.ModelTests.Recording;
using TaskQueue.ModelTests.Scenarios;

namespace TaskQueue.ModelTests.Simulation;

/// <summary>What one scenario left behind: the record of everything that happened and the final queues.</summary>
public sealed record ScenarioRun(
    Scenario Scenario,
    Recorder Record,
    IReadOnlyList<int> DeadLetters,
    int LeftInQueue,
    bool Drained,
    bool WorkersStopped,
    int Steps,
    int SettleTimeouts,
    TimeSpan FakeDuration,
    TimeSpan WallTime);
