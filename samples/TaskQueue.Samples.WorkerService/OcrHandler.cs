using System.Text.Json;

namespace TaskQueue.Samples.WorkerService;

/// <summary>
/// A task handler resolved from dependency injection, one instance per message: returning deletes
/// the message, throwing leaves it for a retry with backoff (and, after maxReceiveCount, the DLQ).
/// </summary>
internal sealed partial class OcrHandler(ILogger<OcrHandler> logger) : ITaskHandler
{
    public async Task HandleAsync(TaskMessage task, TaskContext context)
    {
        var language = task.TaskConfig.TryGetProperty("language", out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : "en";
        LogStarted(logger, task.EntityId, language, context.ReceiveCount);

        // The token signals shutdown: stop early and the message is retried elsewhere, never deleted half done.
        await Task.Delay(TimeSpan.FromMilliseconds(500), context.CancellationToken);
        LogFinished(logger, task.EntityId);
    }

    [LoggerMessage(LogLevel.Information, "OCR of {EntityId} in {Language} (attempt {Attempt})")]
    private static partial void LogStarted(ILogger logger, string entityId, string language, int attempt);

    [LoggerMessage(LogLevel.Information, "OCR of {EntityId} done")]
    private static partial void LogFinished(ILogger logger, string entityId);
}
