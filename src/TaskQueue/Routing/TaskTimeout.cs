
namespace TaskQueue;

/// <summary>
/// Runs a handler under its task name's timeout: at the deadline the task's token is cancelled, and a run that then ends
/// by throwing fails with a <see cref="TimeoutException"/>, retried as any failure. A handler that returns even so has
/// done its work, and its outcome stands.
/// </summary>
internal static class TaskTimeout
{
    public static async Task<TaskOutcome> RunAsync(
        Func<TaskContext, Task<TaskOutcome>> run, string taskName, TimeSpan timeout, TaskContext context, TimeProvider timeProvider)
    {
        using var deadline = new CancellationTokenSource(timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, deadline.Token);
        try
        {
            return await run(context with { CancellationToken = linked.Token }).ConfigureAwait(false);
        }
        catch (Exception ex) when (deadline.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Task '{taskName}' ran longer than its timeout of {timeout} and was cancelled: make it faster or give it a longer timeout in AddHandler.", ex);
        }
    }
}
