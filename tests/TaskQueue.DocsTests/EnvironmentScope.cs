namespace TaskQueue.DocsTests;

/// <summary>Sets environment variables of this process and restores their previous values when disposed.</summary>
public sealed class EnvironmentScope : IDisposable
{
    private readonly Dictionary<string, string?> _previous = [];

    /// <summary>Sets <paramref name="variables"/>.</summary>
    /// <param name="variables">Names and values.</param>
    public EnvironmentScope(IReadOnlyDictionary<string, string> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        foreach (var (name, value) in variables)
        {
            _previous[name] = Environment.GetEnvironmentVariable(name);
            Environment.SetEnvironmentVariable(name, value);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var (name, value) in _previous)
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }
}
