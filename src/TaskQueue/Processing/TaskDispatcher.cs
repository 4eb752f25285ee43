using Microsoft.Extensions.Logging;
using TaskQueue.Logging;
using TaskQueue.Messages;
using TaskQueue.Sqs;

namespace TaskQueue.Processing;

/// <summary>
/// Parses a received message and runs a handler on it, turning every way that can end into a
/// <see cref="ProcessResult{TResult}"/>. It makes no SQS call: what happens to the message
/// afterwards is <see cref="MessageSettler"/>'s job.
/// </summary>
internal static class TaskDispatcher
{
    public static async Task<ProcessResult<TResult>> DispatchAsync<TResult>(
        ReceivedMessage message,
        Func<TaskMessage, TaskContext, Task<TResult>> handler,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        var receiveCount = message.ReceiveCount;
        if (!TaskMessageParser.TryParse(message.Body, out var task, out var reason))
        {
            Log.PoisonMessage(logger, message.MessageId, receiveCount, reason);
            Log.PoisonMessageBody(logger, message.MessageId, message.Body);
            return new ProcessResult<TResult>(ProcessOutcome.Poison, message.MessageId, receiveCount, null, PoisonReason: reason);
        }

        var context = new TaskContext(message.MessageId, receiveCount, message.MessageGroupId, cancellationToken);
        try
        {
            var value = await handler(task, context).ConfigureAwait(false);
            return new ProcessResult<TResult>(ProcessOutcome.Completed, message.MessageId, receiveCount, task, value);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // A handler's failure of any kind is an outcome to report, never a crash of the caller.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.TaskFailed(logger, ex, task.EntityId, task.TaskName, message.MessageId, receiveCount);
            return new ProcessResult<TResult>(ProcessOutcome.Failed, message.MessageId, receiveCount, task, Error: ex);
        }
    }
}
