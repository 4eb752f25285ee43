namespace TaskQueue;

/// <summary>
/// How the retry backoff spreads its delays, so that tasks that failed together (an outage of what they call) do not all
/// come back at the same moment.
/// </summary>
public enum BackoffJitter
{
    /// <summary>Anywhere from 0 to the exponential delay: spreads retries the most.</summary>
    Full = 0,

    /// <summary>Half the exponential delay plus anywhere up to the other half: never sooner than half.</summary>
    Equal = 1,

    /// <summary>Exactly the exponential delay.</summary>
    None = 2,
}
