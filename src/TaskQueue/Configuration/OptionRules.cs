namespace TaskQueue.Configuration;

/// <summary>The range check the options validators share, with one wording for every time value.</summary>
internal static class OptionRules
{
    public static void CheckRange(List<string> failures, string name, TimeSpan value, TimeSpan min, TimeSpan max, string why)
    {
        if (value < min || value > max)
        {
            failures.Add($"{name} is {value.TotalSeconds:0.###} s: it must be {min.TotalSeconds:0.###} to {max.TotalSeconds:0.###} s ({why}).");
        }
    }
}
