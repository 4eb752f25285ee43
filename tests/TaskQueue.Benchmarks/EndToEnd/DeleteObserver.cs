using System.Reflection;
using TaskQueue.Sqs;

namespace TaskQueue.Benchmarks.EndToEnd;

/// <summary>
/// An <see cref="ISqsClient"/> that passes every call on and counts the messages whose delete succeeded, so the
/// benchmark stops its clock when the last task is done: deleted, not just run. A proxy, so it follows the interface as it grows.
/// </summary>
public class DeleteObserver : DispatchProxy
{
    private ISqsClient? _inner;
    private DoneCounter? _done;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    public static ISqsClient Wrap(ISqsClient inner, DoneCounter done)
    {
        var proxy = Create<ISqsClient, DeleteObserver>();
        var observer = (DeleteObserver)(object)proxy;
        observer._inner = inner;
        observer._done = done;
        return proxy;
    }

    /// <inheritdoc />
    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        object? result;
        try
        {
            result = targetMethod.Invoke(_inner, args);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            throw ex.InnerException;
        }

        return targetMethod.Name switch
        {
            nameof(ISqsClient.DeleteMessageBatchAsync) => CountBatchAsync((Task<BatchResult>)result!),
            nameof(ISqsClient.DeleteMessageAsync) => CountOneAsync((Task)result!),
            _ => result,
        };
    }

    private async Task<BatchResult> CountBatchAsync(Task<BatchResult> call)
    {
        var result = await call.ConfigureAwait(false);
        _done!.Add(result.SuccessfulIds.Count);
        return result;
    }

    private async Task CountOneAsync(Task call)
    {
        await call.ConfigureAwait(false);
        _done!.Add(1);
    }
}
