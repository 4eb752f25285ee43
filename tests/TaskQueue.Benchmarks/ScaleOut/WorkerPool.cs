using Amazon.SQS;
using TaskQueue.Benchmarks.Sqs;

namespace TaskQueue.Benchmarks.ScaleOut;

/// <summary>
/// Worker processes on one queue: each started with its own warm-up queue of <see cref="WarmUpTasks"/> tasks, all of
/// them ready before any is told to go, so the measured run starts with warm processes and a full queue.
/// </summary>
public sealed class WorkerPool : IAsyncDisposable
{
    /// <summary>Tasks in each worker's warm-up queue.</summary>
    public const int WarmUpTasks = 200;

    private readonly IAmazonSQS _sdk;
    private readonly List<string> _warmUpQueues;

    private WorkerPool(IAmazonSQS sdk, List<string> warmUpQueues, List<WorkerProcess> workers)
    {
        _sdk = sdk;
        _warmUpQueues = warmUpQueues;
        Workers = workers;
    }

    /// <summary>The worker processes.</summary>
    public IReadOnlyList<WorkerProcess> Workers { get; }

    /// <summary>Tasks deleted after success so far, over all workers.</summary>
    public long Done => Workers.Sum(w => w.Done);

    /// <summary>Starts <paramref name="processes"/> workers on <paramref name="queueUrl"/> and waits until all are warm.</summary>
    public static async Task<WorkerPool> StartAsync(
        AmazonSQSClient sdk, string queueUrl, int processes, int latencyMs, int concurrency, int pollers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sdk);
        var warmUpQueues = new List<string>();
        var workers = new List<WorkerProcess>();
        var pool = new WorkerPool(sdk, warmUpQueues, workers);
        try
        {
            for (var i = 0; i < processes; i++)
            {
                var warmUp = await SqsEndpoint.CreateFifoQueueAsync(sdk, "warm-up", cancellationToken).ConfigureAwait(false);
                warmUpQueues.Add(warmUp);
                await QueueFiller.FillAsync(sdk, warmUp, WarmUpTasks, ScaleWorker.WarmUpGroups, 2, cancellationToken).ConfigureAwait(false);
                workers.Add(WorkerProcess.Start(new WorkerSettings(warmUp, WarmUpTasks, queueUrl, latencyMs, concurrency, pollers)));
            }

            await Task.WhenAll(workers.Select(w => w.Ready)).WaitAsync(TimeSpan.FromMinutes(2), cancellationToken).ConfigureAwait(false);
            return pool;
        }
        catch
        {
            await pool.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Tells every worker to start on the measured queue.</summary>
    public Task GoAsync() => Task.WhenAll(Workers.Select(w => w.GoAsync()));

    /// <summary>Stops every worker gracefully.</summary>
    public Task StopAsync() => Task.WhenAll(Workers.Select(w => w.StopAsync()));

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var worker in Workers)
        {
            worker.Dispose();
        }

        foreach (var queue in _warmUpQueues)
        {
            await _sdk.DeleteQueueAsync(queue, CancellationToken.None).ConfigureAwait(false);
        }
    }
}
