using System.Globalization;
using TaskQueue.ModelTests.Scenarios;
using TaskQueue.Testing;

namespace TaskQueue.ModelTests;

/// <summary>
/// How many scenarios to run and which, from the environment: MODEL_SCENARIOS (count), MODEL_SEED (a CsCheck seed, to
/// rerun a failure), MODEL_PROFILE (Full or FailuresOnlyInLoneGroups), MODEL_RECEIVE_MODE (SeveralPerGroup or
/// OnePerGroup; both when unset), MODEL_REPORT (a file for the figures' markdown), MODEL_SURVEY=1 (run every scenario to
/// the end without shrinking and list every failing seed, as tests/model.sh does), MODEL_REPEAT=1 (with MODEL_SEED, play
/// that one scenario MODEL_SCENARIOS times: the fake clock fixes what happens when, not how the worker's threads
/// interleave, so a failure seen once may take many replays to be seen again).
/// </summary>
public sealed record ModelSettings(int Scenarios, string? Seed, ScenarioProfile Profile, FifoReceiveMode? ReceiveMode, string? ReportPath, bool Survey, bool Repeat = false)
{
    /// <summary>What the test command runs: bounded to stay well under a minute on two shared cores.</summary>
    public const int DefaultScenarios = 2000;

    public static ModelSettings FromEnvironment() => new(
        int.TryParse(Environment.GetEnvironmentVariable("MODEL_SCENARIOS"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) ? count : DefaultScenarios,
        NullIfEmpty(Environment.GetEnvironmentVariable("MODEL_SEED")),
        Enum.TryParse<ScenarioProfile>(Environment.GetEnvironmentVariable("MODEL_PROFILE"), out var profile) ? profile : ScenarioProfile.Full,
        Enum.TryParse<FifoReceiveMode>(Environment.GetEnvironmentVariable("MODEL_RECEIVE_MODE"), out var mode) ? mode : null,
        NullIfEmpty(Environment.GetEnvironmentVariable("MODEL_REPORT")),
        Environment.GetEnvironmentVariable("MODEL_SURVEY") == "1",
        Environment.GetEnvironmentVariable("MODEL_REPEAT") == "1");

    /// <summary>The command that reruns one scenario of this run by its seed.</summary>
    public string RerunCommand(string seed)
    {
        var profile = Profile == ScenarioProfile.Full ? string.Empty : $"MODEL_PROFILE={Profile} ";
        var mode = ReceiveMode is { } fixedMode ? $"MODEL_RECEIVE_MODE={fixedMode} " : string.Empty;
        return $"{profile}{mode}MODEL_SEED={seed} MODEL_SCENARIOS=1 bash tests/model.sh";
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
