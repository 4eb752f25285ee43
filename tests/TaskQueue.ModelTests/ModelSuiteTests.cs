using System.Diagnostics;
using System.Globalization;
using CsCheck;
using TaskQueue.ModelTests.Checking;
using TaskQueue.ModelTests.Reporting;
using TaskQueue.ModelTests.Scenarios;
using TaskQueue.ModelTests.Simulation;
using Xunit.Abstractions;

namespace TaskQueue.ModelTests;

/// <summary>
/// Generated scenarios (producers, 1 to 4 workers, handler failures and hangs, crashes, restarts, clock steps, throttled
/// and failing SQS calls, lost responses) on the in-memory SQS and fake time, each checked by the oracle.
/// </summary>
public sealed class ModelSuiteTests(ITestOutputHelper output)
{
    [Fact]
    public async Task GeneratedScenarios_KeepEveryTrustGuarantee()
    {
        var settings = ModelSettings.FromEnvironment();
        var figures = new Figures();
        var wall = Stopwatch.StartNew();
        var scenarios = ScenarioGenerator.For(settings.Profile, settings.ReceiveMode);
        var failure = await OnOwnThreadAsync(() =>
        {
            Quiescence.Calibrate();
            if (settings.Survey)
            {
                var failures = ScenarioSurvey.Run(scenarios, settings.Scenarios, settings.Seed, scenario => Play(scenario, figures), settings.Repeat);
                if (failures.Count > 0)
                {
                    throw new ModelViolationException(SurveyFailures(settings, failures));
                }

                return;
            }

            Check.Sample(scenarios, scenario => Play(scenario, figures), seed: settings.Seed, iter: settings.Scenarios, threads: 1, print: scenario => scenario.ToString());
        });

        var markdown = figures.ToMarkdown(settings.Profile.ToString(), settings.Seed ?? "random", wall.Elapsed);
        output.WriteLine(markdown);
        if (settings.ReportPath is { } path)
        {
            await File.WriteAllTextAsync(path, markdown);
        }

        if (failure is ModelViolationException { InnerException: null } surveyed)
        {
            throw surveyed;
        }

        if (failure is not null)
        {
            throw new ModelViolationException(RerunHint(settings, failure.Message) + failure.Message, failure);
        }
    }

    private static string SurveyFailures(ModelSettings settings, List<(string Seed, string Failure)> failures)
    {
        var text = new System.Text.StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{failures.Count} scenario(s) broke a guarantee; rerun one with: {settings.RerunCommand("<seed>")}. Seeds: {string.Join(" ", failures.Take(20).Select(f => f.Seed))}");
        text.AppendLine(CultureInfo.InvariantCulture, $"The first, seed {failures[0].Seed}:");
        text.Append(failures[0].Failure);
        return text.ToString();
    }

    private static void Play(Scenario scenario, Figures figures)
    {
        var run = ScenarioDriver.Run(scenario);
        var (violations, tally) = Oracle.Check(run);
        figures.Add(tally, violations, run.WallTime);
        if (violations.Count > 0)
        {
            throw new ModelViolationException(Explain(run, violations));
        }
    }

    private static string Explain(ScenarioRun run, IReadOnlyList<Violation> violations)
    {
        var text = new System.Text.StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{violations.Count} guarantee(s) broken:");
        foreach (var violation in violations.Take(5))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- {violation.Guarantee}: {violation.Text}");
        }

        if (violations.FirstOrDefault(v => v.GroupId is not null)?.GroupId is { } group)
        {
            text.Append(TraceWriter.Group(run, group));
        }
        else if (violations.FirstOrDefault(v => v.BatchId is not null)?.BatchId is { } batch)
        {
            text.Append(TraceWriter.Batch(run, batch));
        }

        return text.ToString();
    }

    private static string RerunHint(ModelSettings settings, string message)
    {
        var match = System.Text.RegularExpressions.Regex.Match(message, "seed:? \"?([0-9A-Za-z_-]{6,})\"?");
        return match.Success
            ? $"Rerun this scenario: {settings.RerunCommand(match.Groups[1].Value)}{Environment.NewLine}"
            : string.Empty;
    }

    /// <summary>
    /// Runs the scenarios on a thread outside the thread pool: the driver tells a parked scenario from a busy one by
    /// the pool's idleness, which a pool thread of its own would spoil.
    /// </summary>
    private static Task<Exception?> OnOwnThreadAsync(Action action)
    {
        var done = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                action();
                done.SetResult(null);
            }
#pragma warning disable CA1031 // The failure is reported by the test, on its own thread.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                done.SetResult(ex);
            }
        })
        {
            IsBackground = true,
            Name = "model driver",
        };
        thread.Start();
        return done.Task;
    }
}

/// <summary>A scenario broke a guarantee; the message has the scenario, the broken guarantees and a trace.</summary>
public sealed class ModelViolationException : Exception
{
    public ModelViolationException(string message) : base(message) { }

    public ModelViolationException(string message, Exception innerException) : base(message, innerException) { }

    public ModelViolationException() { }
}
