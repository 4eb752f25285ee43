// The taskqueue command line; everything runs through CliApp.RunAsync, which the tests call in process.
using TaskQueue.Cli;

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl-C stops the command gracefully (a worker finishes its tasks); a second one ends the process.
    e.Cancel = !stop.IsCancellationRequested;
    stop.Cancel();
};

return await CliApp.RunAsync(args, Console.Out, Console.Error, stop.Token).ConfigureAwait(false);
