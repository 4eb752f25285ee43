using Microsoft.Extensions.Options;

namespace TaskQueue;

/// <summary>Rejects <see cref="TaskQueueWorkerOptions"/> out of range, naming the value and why.</summary>
internal sealed class TaskQueueWorkerOptionsValidator : IValidateOptions<TaskQueueWorkerOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, TaskQueueWorkerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.MaxConcurrentTasks is < 1 or > 1000)
        {
            failures.Add($"MaxConcurrentTasks is {options.MaxConcurrentTasks}: it must be 1 to 1,000.");
        }

        if (options.PollerCount is < 1 or > 50)
        {
            failures.Add($"PollerCount is {options.PollerCount}: it must be 1 to 50.");
        }

        OptionRules.CheckSqsSeconds(failures, nameof(options.ReceiveWaitTime), options.ReceiveWaitTime, TimeSpan.FromSeconds(1), TaskQueueOptions.MaxWaitTime, "long polling keeps an empty queue cheap; SQS waits at most 20 s");
        OptionRules.CheckRange(failures, nameof(options.ReceiveBatchingWindow), options.ReceiveBatchingWindow, TimeSpan.Zero, TimeSpan.FromSeconds(20), "run slots must not sit idle long");
        OptionRules.CheckRange(failures, nameof(options.DeleteFlushInterval), options.DeleteFlushInterval, TimeSpan.Zero, TimeSpan.FromSeconds(10), "a finished task's delete must not wait long");
        OptionRules.CheckRange(failures, nameof(options.ShutdownTimeout), options.ShutdownTimeout, TimeSpan.Zero, TimeSpan.FromHours(1), "how long a stop waits for running tasks");
        OptionRules.CheckRange(failures, nameof(options.MaxErrorBackoff), options.MaxErrorBackoff, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10), "the longest pause after failed receives");
        OptionRules.CheckRange(failures, nameof(options.DeadLetterCheckInterval), options.DeadLetterCheckInterval, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1), "how often a tracked worker looks for dead letters it did not record");
        OptionRules.CheckRange(failures, nameof(options.PauseReleaseAfter), options.PauseReleaseAfter, TimeSpan.Zero, TimeSpan.FromHours(1), "how long a paused worker keeps messages it did not start");
        if (options.Priority is < -1000 or > 1000)
        {
            failures.Add($"Priority is {options.Priority}: it must be -1,000 to 1,000.");
        }

        if (options.Weight is < 1 or > 1000)
        {
            failures.Add($"Weight is {options.Weight}: it must be 1 to 1,000.");
        }

        TaskLimitRules.Check(failures, options.TaskLimits);
        if (!Enum.IsDefined(options.UnknownTaskHandling))
        {
            failures.Add($"UnknownTaskHandling {options.UnknownTaskHandling} is not one of {string.Join(", ", Enum.GetNames<UnknownTaskHandling>())}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
