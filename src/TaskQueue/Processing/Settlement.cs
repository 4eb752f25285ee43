namespace TaskQueue;

/// <summary>What settling a run decided.</summary>
/// <typeparam name="TResult">The handler's return type.</typeparam>
/// <param name="Result">The run's result, with whether the message is gone from the queue.</param>
/// <param name="RetryUnderLeaseAfter">
/// Set when the failed task is to run again under the worker's own lease after this delay, instead of going back to the
/// queue: the messages of its group held behind it stay held, since every receive would count against each of them.
/// </param>
/// <param name="SettleAgain">
/// With <paramref name="RetryUnderLeaseAfter"/>: the run is not to be repeated, only its settling, which could not be
/// finished now (the dead-letter move or the read of the redrive policy failed); the messages behind it stay held meanwhile.
/// </param>
internal readonly record struct Settlement<TResult>(ProcessResult<TResult> Result, TimeSpan? RetryUnderLeaseAfter = null, bool SettleAgain = false);
