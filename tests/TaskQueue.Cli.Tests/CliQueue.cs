using TaskQueue.TestSupport;

namespace TaskQueue.Cli.Tests;

/// <summary>A queue and its DLQ created through <c>taskqueue queues create</c> for one test, deleted after it.</summary>
internal sealed class CliQueue : IAsyncDisposable
{
    private CliQueue(string name) => Name = name;

    /// <summary>The queue's name, without <c>.fifo</c>, as a user would type it.</summary>
    public string Name { get; }

    public string DeadLetterName => Name + "-dlq.fifo";

    public static async Task<CliQueue> CreateAsync(params string[] options)
    {
        var queue = new CliQueue("cli-" + Guid.NewGuid().ToString("N")[..10]);
        var run = await CliRun.RunAsync(["queues", "create", queue.Name, .. options]);
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"queues create failed: {run}");
        }

        return queue;
    }

    public async ValueTask DisposeAsync()
    {
        var sqs = LocalSqsServer.CreateClient();
        foreach (var name in new[] { Name + ".fifo", DeadLetterName })
        {
            try
            {
                await sqs.DeleteQueueAsync(await sqs.GetQueueUrlAsync(name));
            }
            catch (Sqs.TaskQueueException)
            {
                // Best effort: a failing cleanup must not hide the test's outcome.
            }
        }
    }
}
