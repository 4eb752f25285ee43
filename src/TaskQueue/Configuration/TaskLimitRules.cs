namespace TaskQueue;

/// <summary>The checks of <see cref="TaskQueueWorkerOptions.TaskLimits"/>, each failure naming the task and the value.</summary>
internal static class TaskLimitRules
{
    public static void Check(List<string> failures, IReadOnlyDictionary<string, TaskLimit> limits)
    {
        foreach (var (taskName, limit) in limits)
        {
            var name = $"TaskLimits[{taskName}]";
            if (string.IsNullOrWhiteSpace(taskName))
            {
                failures.Add("TaskLimits has an empty task name: key each limit by the task name it limits.");
            }

            if (limit is null)
            {
                failures.Add($"{name} is null: give it a MaxConcurrency, a RateLimit or both, or remove it.");
                continue;
            }

            if (limit.MaxConcurrency is null && limit.RateLimit is null)
            {
                failures.Add($"{name} sets neither MaxConcurrency nor RateLimit: set one, or remove it.");
            }

            if (limit.MaxConcurrency is < 1 or > 1000)
            {
                failures.Add($"{name}.MaxConcurrency is {limit.MaxConcurrency}: it must be 1 to 1,000.");
            }

            if (limit.RateLimit is < 1 or > 1_000_000)
            {
                failures.Add($"{name}.RateLimit is {limit.RateLimit}: it must be 1 to 1,000,000 starts per RatePeriod.");
            }

            OptionRules.CheckRange(failures, $"{name}.RatePeriod", limit.RatePeriod, TimeSpan.FromMilliseconds(1), TimeSpan.FromDays(1), "the period of its rate limit");
        }
    }
}
