using System.Globalization;
using System.Text.Json;
using TaskQueue.Cli.Infrastructure;

namespace TaskQueue.Cli.Commands;

/// <summary>The built-in task handlers of <c>taskqueue work</c>, for trying things out: echo, sleep and fail.</summary>
internal static class DemoHandlers
{
    public static readonly string[] TaskNames = ["echo", "sleep", "fail"];

    public static Task RunAsync(TaskMessage task, TaskContext context, TextWriter log) => task.TaskName switch
    {
        "echo" => EchoAsync(task, log),
        "sleep" => Task.Delay(SleepTime(task), context.CancellationToken),
        "fail" => throw new InvalidOperationException($"task 'fail' of {task.EntityId} fails on purpose (receive {context.ReceiveCount})"),
        _ => throw TaskHandlerNotFoundException.For(task.TaskName, TaskNames),
    };

    private static Task EchoAsync(TaskMessage task, TextWriter log)
    {
        lock (log)
        {
            log.WriteLine($"echo    {task.EntityId}: config {task.TaskConfig.GetRawText()}, metadata {task.Metadata.GetRawText()}");
        }

        return Task.CompletedTask;
    }

    /// <summary>The <c>seconds</c> of the config, {"seconds": N}; 1 s when absent.</summary>
    private static TimeSpan SleepTime(TaskMessage task)
    {
        if (task.TaskConfig.TryGetProperty("seconds", out var seconds))
        {
            return seconds.ValueKind == JsonValueKind.Number && seconds.TryGetDouble(out var value) && value is >= 0 and <= 3600
                ? TimeSpan.FromSeconds(value)
                : throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"sleep needs config {{\"seconds\": N}} with N from 0 to 3600, not {seconds.GetRawText()}"));
        }

        return TimeSpan.FromSeconds(1);
    }
}
