namespace TaskQueue.ModelTests.Checking;

/// <summary>Counts of what one scenario did and what the oracle found; added up over a run of many scenarios.</summary>
public sealed class Tally
{
    public SortedDictionary<string, long> Counts { get; } = new(StringComparer.Ordinal);

    public void Add(string name, long by = 1)
    {
        if (by != 0)
        {
            Counts[name] = Counts.GetValueOrDefault(name) + by;
        }
    }

    public void Add(Tally other)
    {
        foreach (var (name, count) in other.Counts)
        {
            Add(name, count);
        }
    }

    public long this[string name] => Counts.GetValueOrDefault(name);
}
