namespace TaskQueue.Benchmarks.EndToEnd;

/// <summary>Runs a hand-written variant's receive loops until every task is done, then stops them.</summary>
internal static class ConsumerLoops
{
    public static async Task RunUntilDoneAsync(int count, Func<CancellationToken, Task> loop, DoneCounter done, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var loops = Enumerable.Range(0, count).Select(_ => Task.Run(() => loop(stop.Token), CancellationToken.None)).ToList();
        await done.Reached.WaitAsync(cancellationToken).ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(loops).ConfigureAwait(false);
    }
}
