using Amazon.SQS;
using Microsoft.Extensions.Options;
using TaskQueue.Sqs;

namespace TaskQueue.Benchmarks.EndToEnd;

/// <summary>
/// (a) The library: <see cref="TaskQueueHandler.EnqueueTasksAsync"/> for each entity's ten tasks,
/// <see cref="Workload.Lanes"/> calls at once; then a <see cref="TaskQueueWorker"/> with a no-op handler,
/// one poller per lane and room for the ten messages of each poller's receive (<c>MaxConcurrentTasks</c> = 10 × lanes), other options at their defaults
/// except a 2 s receive wait (so that the stop after the run is quick). With <paramref name="tracking"/>, the producer
/// and the worker track entity completion: the same, plus a ledger.
/// </summary>
public sealed class LibraryVariant(IAmazonSQS sdk, string name = "library", EntityTracking? tracking = null) : IVariant
{
    private static readonly IReadOnlyList<TaskSpec> Tasks = [.. Workload.TaskNames.Select(name => new TaskSpec(name))];

    /// <inheritdoc />
    public string Name => name;

    /// <summary>The worker options used, for the report.</summary>
    public static string Describe(Workload workload) =>
        $"MaxConcurrentTasks={workload.Lanes * Workload.TasksPerEntity}, PollerCount={workload.Lanes}, ReceiveWaitTime=2 s, DeleteFlushInterval=200 ms (default), heartbeat on (default)";

    /// <inheritdoc />
    public async Task ProduceAsync(string queueUrl, Workload workload, CancellationToken cancellationToken)
    {
        var handler = new TaskQueueHandler(new AwsSqsClient(sdk), Options.Create(new TaskQueueOptions { QueueUrl = queueUrl }), entityTracking: tracking);
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, workload.Lanes).Select(_ => Task.Run(async () =>
        {
            int entity;
            while ((entity = Interlocked.Increment(ref next)) < workload.Entities)
            {
                var result = await handler.EnqueueTasksAsync(workload.EntityId(entity), Tasks, cancellationToken: cancellationToken).ConfigureAwait(false);
                if (!result.AllSucceeded)
                {
                    throw new InvalidOperationException($"enqueue of {result.EntityId} failed: {string.Join(", ", result.Failed.Select(f => f.ErrorCode))}");
                }
            }
        }, cancellationToken))).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task ConsumeAsync(string queueUrl, Workload workload, DoneCounter done, CancellationToken cancellationToken)
    {
        var sqs = DeleteObserver.Wrap(new AwsSqsClient(sdk), done);
        using var worker = new TaskQueueWorker(
            sqs,
            Options.Create(new TaskQueueOptions { QueueUrl = queueUrl }),
            Options.Create(new TaskQueueWorkerOptions
            {
                MaxConcurrentTasks = workload.Lanes * Workload.TasksPerEntity,
                PollerCount = workload.Lanes,
                ReceiveWaitTime = TimeSpan.FromSeconds(2),
            }),
            (_, _) => Task.CompletedTask,
            entityTracking: tracking);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var running = worker.RunAsync(stop.Token);
        await done.Reached.WaitAsync(cancellationToken).ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        await running.ConfigureAwait(false);
    }
}
