using System.Diagnostics;
using Microsoft.Extensions.Logging;
using TaskQueue.Sqs;

namespace TaskQueue;

/// <summary>
/// Parses a received message and runs a handler on it, turning every way that can end into a
/// <see cref="ProcessResult{TResult}"/>, inside a consumer span joined to the producer's trace and
/// with the task metrics. A handler returning a <see cref="TaskOutcome"/> chooses how its run ends. It makes no SQS call: what happens to the message afterwards is
/// <see cref="MessageSettler"/>'s job.
/// </summary>
internal static class TaskDispatcher
{
    private const string PoisonTaskName = "(poison)";

    public static async ValueTask<ProcessResult<TResult>> DispatchAsync<TResult>(
        string queueUrl,
        ReceivedMessage message,
        int attempt,
        Func<TaskMessage, TaskContext, Task<TResult>> handler,
        TaskBodyReader bodies,
        TimeProvider timeProvider,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        // The attempt, not the raw receive count: a task retried under the worker's lease makes attempts SQS does not count.
        var receiveCount = attempt;
        var reading = await bodies.ReadAsync(message, cancellationToken).ConfigureAwait(false);
        if (reading.FetchError is { } fetchError)
        {
            // The stored body could not be read this time (S3 throttled, unreachable, access refused): a failed attempt.
            Log.PayloadFetchFailed(logger, fetchError, message.MessageId, reading.Payload?.ToString(), receiveCount);
            TaskQueueInstruments.TasksFailed.Add(1, MessagingSpans.TaskTags(PoisonTaskName));
            return new ProcessResult<TResult>(ProcessOutcome.Failed, message.MessageId, receiveCount, null, Error: fetchError);
        }

        if (reading.Task is not { } task)
        {
            var reason = reading.PoisonReason!;
            Log.PoisonMessage(logger, message.MessageId, receiveCount, reason);
            Log.PoisonMessageBody(logger, message.MessageId, message.Body);
            TaskQueueInstruments.TasksFailed.Add(1, MessagingSpans.TaskTags(PoisonTaskName));
            return new ProcessResult<TResult>(ProcessOutcome.Poison, message.MessageId, receiveCount, null, PoisonReason: reason);
        }

        using var span = MessagingSpans.StartProcess(queueUrl, message, task);
        var tags = MessagingSpans.TaskTags(task.TaskName);
        var started = timeProvider.GetTimestamp();
        if (task.EnqueuedAt is { } enqueuedAt)
        {
            TaskQueueInstruments.QueueLag.Record(Math.Max(0, (timeProvider.GetUtcNow() - enqueuedAt).TotalSeconds), tags);
        }

        TaskQueueInstruments.TasksInFlight.Add(1, tags);
        var context = new TaskContext(message.MessageId, receiveCount, message.MessageGroupId, cancellationToken);
        try
        {
            return await RunAsync(message, task, context, handler, span, tags, logger, timeProvider, started, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            TaskQueueInstruments.TasksInFlight.Add(-1, tags);
            TaskQueueInstruments.TaskDuration.Record(timeProvider.GetElapsedTime(started).TotalSeconds, tags);
        }
    }

    /// <summary>Runs the handler and turns how it ended into a result.</summary>
    private static async ValueTask<ProcessResult<TResult>> RunAsync<TResult>(
        ReceivedMessage message,
        TaskMessage task,
        TaskContext context,
        Func<TaskMessage, TaskContext, Task<TResult>> handler,
        Activity? span,
        TagList tags,
        ILogger logger,
        TimeProvider timeProvider,
        long started,
        CancellationToken cancellationToken)
    {
        // The duration is set as each result is built: a copy of the record afterwards would cost an allocation a task.
        var receiveCount = context.ReceiveCount;
        try
        {
            var value = await handler(task, context).ConfigureAwait(false);
            var duration = timeProvider.GetElapsedTime(started);
            switch (value)
            {
                case TaskOutcome { Kind: TaskOutcomeKind.RetryAfter } retry:
                    return new ProcessResult<TResult>(ProcessOutcome.RetryRequested, message.MessageId, receiveCount, task, value, RetryDelay: retry.RetryDelay) { Duration = duration };
                case TaskOutcome { Kind: TaskOutcomeKind.DeadLetter } deadLetter:
                    TaskQueueInstruments.TasksFailed.Add(1, tags);
                    return new ProcessResult<TResult>(
                        ProcessOutcome.DeadLetterRequested, message.MessageId, receiveCount, task, value, DeadLetterReason: deadLetter.DeadLetterReason) { Duration = duration };
            }

            TaskQueueInstruments.TasksSucceeded.Add(1, tags);
            return new ProcessResult<TResult>(ProcessOutcome.Completed, message.MessageId, receiveCount, task, value) { Duration = duration };
        }
        catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested)
        {
            MessagingSpans.RecordFailure(span, ex);
            throw;
        }
#pragma warning disable CA1031 // A handler's failure of any kind is an outcome to report, never a crash of the caller.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.TaskFailed(logger, ex, task.EntityId, task.TaskName, message.MessageId, receiveCount);
            MessagingSpans.RecordFailure(span, ex);
            TaskQueueInstruments.TasksFailed.Add(1, tags);
            return new ProcessResult<TResult>(ProcessOutcome.Failed, message.MessageId, receiveCount, task, Error: ex) { Duration = timeProvider.GetElapsedTime(started) };
        }
    }
}
