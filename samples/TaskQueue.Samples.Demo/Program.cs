// The TaskQueue demo: a FIFO queue and its DLQ, the tasks of three documents processed by a worker
// (one task fails every time, so it is retried with backoff and dead-lettered), each document's completion
// announced once its last task finished (an in-memory entity ledger), then the final status and a peek at the
// dead letters; finally the handler is "fixed" and the dead letter redriven and completed, which completes its
// document again. In memory by default; `--endpoint URL` runs it on any SQS-compatible server.
using TaskQueue.Samples.Demo;

var arguments = DemoArguments.Parse(args);
if (arguments.Error is not null)
{
    Console.Error.WriteLine(arguments.Error);
    Console.Error.WriteLine(DemoArguments.Usage);
    return 2;
}

if (arguments.ShowHelp)
{
    Console.WriteLine(DemoArguments.Usage);
    return 0;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

try
{
    return await new DemoRun(arguments, Console.Out).RunAsync(stop.Token);
}
catch (TaskQueue.Sqs.TaskQueueException ex)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    return 1;
}
