using System.CommandLine;

namespace TaskQueue.Cli.Commands;

/// <summary>The <c>--watch</c> and <c>--interval</c> options of a command that can refresh, and the refresh loop they drive.</summary>
internal sealed class Watch
{
    public Watch(string description)
    {
        Enabled = new Option<bool>("--watch") { Description = description };
        Interval = CommandTree.AtLeast("--interval", 1, 2, "seconds between refreshes of --watch");
    }

    public Option<bool> Enabled { get; }

    public Option<int> Interval { get; }

    public void AddTo(Command command)
    {
        command.Add(Enabled);
        command.Add(Interval);
    }

    public bool IsOn(ParseResult parsed) => parsed.GetValue(Enabled);

    /// <summary>
    /// Refreshes every interval until <paramref name="refresh"/> says there is nothing more to watch or Ctrl-C, which is a
    /// watch's normal end too. Returns true when the refresh ended it, false when Ctrl-C did.
    /// </summary>
    public async Task<bool> RunAsync(ParseResult parsed, Func<CancellationToken, Task<bool>> refresh, CancellationToken cancellationToken)
    {
        var interval = TimeSpan.FromSeconds(parsed.GetValue(Interval));
        try
        {
            while (!await refresh(cancellationToken).ConfigureAwait(false))
            {
                await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
            }

            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
