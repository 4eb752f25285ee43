using System.Globalization;
using Amazon.SQS;
using Microsoft.Extensions.Options;
using TaskQueue.Sqs;

namespace TaskQueue.Benchmarks.ScaleOut;

/// <summary>
/// Pre-fills a queue through <see cref="TaskQueueHandler.EnqueueTasksAsync"/>: <c>tasks</c> tasks spread evenly over
/// <c>groups</c> message groups (a group is an entity and task name, so <c>groups / 10</c> entities of ten task names, or
/// one entity of fewer), one call per entity and round, several calls at once.
/// </summary>
public static class QueueFiller
{
    /// <summary>Enqueues the tasks; the group count must be at most 10 or a multiple of 10, and divide the task count.</summary>
    public static async Task FillAsync(IAmazonSQS sdk, string queueUrl, int tasks, int groups, int senders, CancellationToken cancellationToken)
    {
        if (groups <= 0 || (groups > 10 && groups % 10 != 0) || tasks % groups != 0)
        {
            throw new ArgumentException($"{groups} groups: at most 10 or a multiple of 10, dividing the {tasks} tasks");
        }

        var perEntity = Math.Min(groups, 10);
        var entities = groups / perEntity;
        var taskSpecs = Enumerable.Range(0, perEntity).Select(i => new TaskSpec("task" + i.ToString(CultureInfo.InvariantCulture))).ToList();
        var runId = Guid.NewGuid().ToString("N")[..8];
        var handler = new TaskQueueHandler(new AwsSqsClient(sdk), Options.Create(new TaskQueueOptions { QueueUrl = queueUrl }));
        var calls = tasks / perEntity;
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, senders).Select(_ => Task.Run(async () =>
        {
            int call;
            while ((call = Interlocked.Increment(ref next)) < calls)
            {
                var entityId = string.Create(CultureInfo.InvariantCulture, $"doc-{runId}-{call % entities}");
                var result = await handler.EnqueueTasksAsync(entityId, taskSpecs, cancellationToken: cancellationToken).ConfigureAwait(false);
                if (!result.AllSucceeded)
                {
                    throw new InvalidOperationException($"enqueue of {entityId} failed: {string.Join(", ", result.Failed.Select(f => f.ErrorCode))}");
                }
            }
        }, cancellationToken))).ConfigureAwait(false);
    }
}
