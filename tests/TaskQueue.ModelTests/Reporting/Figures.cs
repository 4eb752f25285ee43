using System.Globalization;
using System.Text;
using TaskQueue.ModelTests.Checking;

namespace TaskQueue.ModelTests.Reporting;

/// <summary>The figures of a run of many scenarios, and their markdown for the reliability page.</summary>
public sealed class Figures
{
    private readonly object _lock = new();
    private readonly Tally _tally = new();
    private readonly Dictionary<Guarantee, int> _failedScenarios = [];
    private readonly List<string> _firstFailures = [];

    public long Scenarios => _tally["scenarios"];

    public int FailedScenarios { get; private set; }

    public void Add(Tally tally, IReadOnlyList<Violation> violations, TimeSpan wall)
    {
        lock (_lock)
        {
            _tally.Add(tally);
            _tally.Add("wall milliseconds in scenarios", (long)wall.TotalMilliseconds);
            if (violations.Count == 0)
            {
                return;
            }

            FailedScenarios++;
            foreach (var guarantee in violations.Select(v => v.Guarantee).Distinct())
            {
                _failedScenarios[guarantee] = _failedScenarios.GetValueOrDefault(guarantee) + 1;
            }

            if (_firstFailures.Count < 3)
            {
                _firstFailures.Add(violations[0].Text);
            }
        }
    }

    public string ToMarkdown(string profile, string seed, TimeSpan wall)
    {
        var text = new StringBuilder();
        var scenarios = Math.Max(1, Scenarios);
        text.AppendLine(CultureInfo.InvariantCulture, $"### Model-based suite: {Scenarios:N0} generated scenarios ({profile})");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Run by `tests/model.sh` on {DateTime.UtcNow:yyyy-MM-dd}, seed `{seed}`, {Environment.ProcessorCount} cores: {wall.TotalSeconds:N0} s of wall time, {_tally["wall milliseconds in scenarios"] / (double)scenarios:N1} ms per scenario.");
        text.AppendLine();
        text.AppendLine("| figure | count |");
        text.AppendLine("| --- | ---: |");
        foreach (var (name, count) in _tally.Counts.Where(c => c.Key != "wall milliseconds in scenarios"))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {count:N0} |");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"| scenarios failing a guarantee | {FailedScenarios:N0} |");
        foreach (var (guarantee, count) in _failedScenarios.OrderBy(f => f.Key))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| scenarios failing {guarantee} | {count:N0} |");
        }

        if (_firstFailures.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("First failures seen:");
            foreach (var failure in _firstFailures)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"- {failure}");
            }
        }

        return text.ToString();
    }
}
