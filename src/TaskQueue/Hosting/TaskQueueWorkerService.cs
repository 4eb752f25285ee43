using Microsoft.Extensions.Hosting;

namespace TaskQueue;

/// <summary>
/// Runs a <see cref="TaskQueueWorker"/> as a hosted service for the life of the host. Give the host a
/// shutdown timeout longer than <see cref="TaskQueueWorkerOptions.ShutdownTimeout"/> so
/// running tasks can finish and pending deletes are flushed.
/// </summary>
/// <param name="worker">The worker to run.</param>
internal sealed class TaskQueueWorkerService(TaskQueueWorker worker) : BackgroundService
{
    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => worker.RunAsync(stoppingToken);
}
