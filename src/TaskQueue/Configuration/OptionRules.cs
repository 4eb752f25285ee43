namespace TaskQueue;

/// <summary>The range checks the options validators share, with one wording for every time value.</summary>
internal static class OptionRules
{
    public static void CheckRange(List<string> failures, string name, TimeSpan value, TimeSpan min, TimeSpan max, string why)
    {
        if (value < min || value > max)
        {
            failures.Add($"{name} is {value.TotalSeconds:0.###} s: it must be {min.TotalSeconds:0.###} to {max.TotalSeconds:0.###} s ({why}).");
        }
    }

    /// <summary>
    /// For a duration SQS takes as an integer number of seconds: in range and whole, since rounding it would change what
    /// the caller asked for (a 0.5 s visibility timeout sent as 0 s makes a running message visible at once).
    /// </summary>
    public static void CheckSqsSeconds(List<string> failures, string name, TimeSpan value, TimeSpan min, TimeSpan max, string why)
    {
        CheckRange(failures, name, value, min, max, why);
        if (value.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            failures.Add($"{name} is {value.TotalSeconds:0.###} s: SQS takes whole seconds, so set it to {Math.Ceiling(value.TotalSeconds):0} s or another whole number.");
        }
    }
}
