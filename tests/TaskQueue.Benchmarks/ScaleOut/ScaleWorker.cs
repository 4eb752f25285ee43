using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Options;
using TaskQueue.Benchmarks.EndToEnd;
using TaskQueue.Benchmarks.Sqs;
using TaskQueue.Sqs;

namespace TaskQueue.Benchmarks.ScaleOut;

/// <summary>
/// One worker process of the scale-out and soak runs (<c>scale-worker</c>): a <see cref="TaskQueueWorker"/> over the AWS
/// SDK with the given latency added to each SQS call and a no-op handler. It first drains its own warm-up queue in rounds until
/// the JIT is quiet (so JIT and connection set-up are not billed to the run), prints <c>READY</c>, waits for <c>go</c> on stdin, then works the
/// measured queue until <c>stop</c>, printing <c>PROGRESS done timestamp cpu-seconds handled</c> whenever its count of deleted
/// tasks moved (checked every 20 ms), with its count of handler calls, and at least once a second.
/// </summary>
public static class ScaleWorker
{
    /// <summary>What the orchestrator writes on stdin to start the measured run.</summary>
    public const string Go = "go";

    /// <summary>What the orchestrator writes on stdin to stop it.</summary>
    public const string Stop = "stop";

    /// <summary>The line printed once warmed up.</summary>
    public const string Ready = "READY";

    /// <summary>The prefix of a progress line.</summary>
    public const string ProgressPrefix = "PROGRESS ";

    /// <summary>Runs the worker process.</summary>
    public static async Task RunAsync(WorkerSettings settings, CancellationToken cancellationToken)
    {
        _handled = 0;
        ArgumentNullException.ThrowIfNull(settings);
        var meter = new RequestMeter(TimeSpan.FromMilliseconds(settings.LatencyMs));
        using var sdk = SqsEndpoint.CreateClient(meter);

        await WarmUpAsync(sdk, settings, cancellationToken).ConfigureAwait(false);

        // The CPU spent so far (start-up, warm-up) is the baseline the orchestrator subtracts; handler calls count from here.
        Interlocked.Exchange(ref _handled, 0);
        Report(0, Stopwatch.GetTimestamp());
        Console.WriteLine(Ready);
        while (await Console.In.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line && line != Go)
        {
        }

        var done = new DoneCounter(int.MaxValue);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var stopRequested = Task.Run(async () =>
        {
            while (await Console.In.ReadLineAsync(stop.Token).ConfigureAwait(false) is { } line && line != Stop)
            {
            }
        }, stop.Token);
        using var worker = NewWorker(sdk, settings, settings.QueueUrl, done);
        var running = worker.RunAsync(stop.Token);

        long reported = -1;
        var lastReport = Stopwatch.GetTimestamp();
        while (!stopRequested.IsCompleted)
        {
            await Task.WhenAny(stopRequested, Task.Delay(20, cancellationToken)).ConfigureAwait(false);
            var now = Stopwatch.GetTimestamp();
            if (done.Done != reported || Stopwatch.GetElapsedTime(lastReport, now) >= TimeSpan.FromSeconds(1))
            {
                reported = done.Done;
                lastReport = now;
                Report(reported, now);
            }
        }

        await stop.CancelAsync().ConfigureAwait(false);
        await running.ConfigureAwait(false);
        Report(done.Done, Stopwatch.GetTimestamp());
    }

    /// <summary>
    /// Drains the warm-up queue in rounds, refilling it between them, until the JIT has settled (see
    /// <see cref="JitSettling.WarmUpAsync"/>, the end-to-end benchmark's rule): a run released while tiered compilation
    /// still optimizes is slow at first for a reason a running service does not have.
    /// </summary>
    private static async Task WarmUpAsync(Amazon.SQS.AmazonSQSClient sdk, WorkerSettings settings, CancellationToken cancellationToken)
    {
        var warmUp = new DoneCounter(int.MaxValue);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var worker = NewWorker(sdk, settings, settings.WarmUpQueueUrl, warmUp);
        var warming = worker.RunAsync(stop.Token);
        await JitSettling.WarmUpAsync(
            async round =>
            {
                if (round > 0)
                {
                    await QueueFiller.FillAsync(sdk, settings.WarmUpQueueUrl, settings.WarmUpTasks, WarmUpGroups, 2, cancellationToken).ConfigureAwait(false);
                }

                while (warmUp.Done < (round + 1L) * settings.WarmUpTasks)
                {
                    await Task.Delay(10, cancellationToken).ConfigureAwait(false);
                }
            },
            cancellationToken).ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        await warming.ConfigureAwait(false);
    }

    /// <summary>The message groups of a warm-up queue's tasks.</summary>
    public const int WarmUpGroups = 20;

    // Handler calls, counted apart from deletes, so a run can show that every task counted done was also run.
    private static long _handled;

    private static void Report(long done, long timestamp)
    {
        using var self = Process.GetCurrentProcess();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{ProgressPrefix}{done} {timestamp} {self.TotalProcessorTime.TotalSeconds:F3} {Interlocked.Read(ref _handled)}"));
    }

    private static TaskQueueWorker NewWorker(Amazon.SQS.AmazonSQSClient sdk, WorkerSettings settings, string queueUrl, DoneCounter done) => new(
        DeleteObserver.Wrap(new AwsSqsClient(sdk), done),
        Options.Create(new TaskQueueOptions { QueueUrl = queueUrl }),
        Options.Create(new TaskQueueWorkerOptions
        {
            MaxConcurrentTasks = settings.Concurrency,
            PollerCount = settings.Pollers,
            ReceiveWaitTime = TimeSpan.FromSeconds(2),
        }),
        (_, _) =>
        {
            Interlocked.Increment(ref _handled);
            return Task.CompletedTask;
        });
}
