namespace TaskQueue;

/// <summary>The outcome of a handler that completes its task by returning (one written against <see cref="Task"/>).</summary>
internal static class CompletedOutcome
{
    private static readonly Task<TaskOutcome> Done = Task.FromResult(TaskOutcome.Completed);

    /// <summary>
    /// <see cref="TaskOutcome.Completed"/> once <paramref name="run"/> has succeeded; its exception when it fails. A run that
    /// finished before it returned (the common case of a short handler) costs no allocation.
    /// </summary>
    public static Task<TaskOutcome> After(Task run) => run.IsCompletedSuccessfully ? Done : AwaitAsync(run);

    private static async Task<TaskOutcome> AwaitAsync(Task run)
    {
        await run.ConfigureAwait(false);
        return TaskOutcome.Completed;
    }
}
