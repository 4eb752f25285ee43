namespace TaskQueue.Benchmarks.EndToEnd;

/// <summary>One way of sending and processing the workload's tasks over an SDK client.</summary>
public interface IVariant
{
    /// <summary>The variant's short name in the report.</summary>
    string Name { get; }

    /// <summary>Sends every task of the workload, <see cref="Workload.Lanes"/> streams of calls at once.</summary>
    Task ProduceAsync(string queueUrl, Workload workload, CancellationToken cancellationToken);

    /// <summary>Receives, runs (a no-op) and deletes tasks over <see cref="Workload.Lanes"/> streams of calls, until <paramref name="done"/> reaches the workload; then stops.</summary>
    Task ConsumeAsync(string queueUrl, Workload workload, DoneCounter done, CancellationToken cancellationToken);
}
