using CsCheck;
using TaskQueue.ModelTests.Scenarios;

namespace TaskQueue.ModelTests;

/// <summary>
/// Many scenarios without shrinking, every one run to the end however many fail, each with its own CsCheck seed, so
/// the figures cover them all and every failure can be rerun alone (MODEL_SEED with MODEL_SCENARIOS=1).
/// </summary>
public static class ScenarioSurvey
{
    /// <summary>
    /// Runs <paramref name="count"/> scenarios drawn from <paramref name="seed"/> (random when null); one scenario with
    /// a seed is that seed's scenario, as a failure's rerun needs, and so is every one with <paramref name="repeat"/>.
    /// Returns the seeds and explanations of those that failed.
    /// </summary>
    public static List<(string Seed, string Failure)> Run(Gen<Scenario> scenarios, int count, string? seed, Action<Scenario> play, bool repeat = false)
    {
        var master = seed is null ? new PCG(PCG.ThreadPCG.Next()) : PCG.Parse(seed);
        var failures = new List<(string, string)>();
        for (var i = 0; i < count; i++)
        {
            var pcg = (count == 1 || repeat) && seed is not null ? PCG.Parse(seed) : new PCG(master.Stream, master.Next64());
            var scenarioSeed = pcg.ToString();
            var scenario = scenarios.Generate(pcg, null, out _);
            try
            {
                play(scenario);
            }
            catch (ModelViolationException violation)
            {
                failures.Add((scenarioSeed, $"{scenario}{violation.Message}"));
            }
        }

        return failures;
    }
}
