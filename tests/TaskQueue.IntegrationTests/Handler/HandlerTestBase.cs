using System.Runtime.CompilerServices;
using FluentAssertions;
using Microsoft.Extensions.Options;
using TaskQueue.Sqs;
using TaskQueue.TestSupport;
using TaskQueue.TestSupport.Backends;

namespace TaskQueue.IntegrationTests.Handler;

/// <summary>
/// What every TaskQueueHandler suite shares: the backend, its clock, fresh queues per test, a handler
/// over them, and plain-client helpers that see the queue the way another producer or consumer would.
/// </summary>
public abstract class HandlerTestBase
{
    /// <summary>Visibility timeout of the queues and of the handler's receives: short, so the server half stays fast.</summary>
    protected static readonly TimeSpan Visibility = TimeSpan.FromSeconds(1);

    /// <summary>The long-poll wait of each page of a dead-letter peek (DeadLetterPeeker.PageWait).</summary>
    private static readonly TimeSpan PeekPageWait = TimeSpan.FromSeconds(1);

    /// <summary>Longest real wait for a call that should already be done: a hang fails the test instead of the run.</summary>
    protected static readonly TimeSpan Guard = TimeSpan.FromSeconds(8);

    protected HandlerTestBase(ISqsBackend backend)
    {
        Backend = backend;
        Time = backend is InMemoryBackend inMemory ? inMemory.Time : TimeProvider.System;
    }

    protected ISqsBackend Backend { get; }

    protected ISqsClient Sqs => Backend.Client;

    /// <summary>The backend's clock: the fake one of the in-memory SQS, or the system clock for the server.</summary>
    protected TimeProvider Time { get; }

    /// <summary>A handler that fails its task, for the retry and redrive tests.</summary>
    protected static Func<TaskMessage, TaskContext, Task> Fail { get; } =
        (_, _) => throw new InvalidOperationException("task failed on purpose");

    /// <summary>A uniquely named FIFO queue with a FIFO dead-letter queue, deleted when disposed.</summary>
    protected Task<TestQueues> CreateQueuesAsync(
        int maxReceiveCount = 3,
        IReadOnlyDictionary<string, string>? attributes = null,
        [CallerMemberName] string testName = "") =>
        TestQueues.CreateAsync(Sqs, maxReceiveCount, Visibility, attributes, testName);

    /// <summary>
    /// A handler on the backend's clock: no long poll (a receive on fake time would wait for ever), a short
    /// visibility timeout, and no retry backoff, so a failed task comes back after <see cref="Visibility"/>.
    /// </summary>
    protected TaskQueueHandler CreateHandler(TestQueues queues, Action<TaskQueueOptions>? configure = null)
    {
        var options = new TaskQueueOptions
        {
            QueueUrl = queues.QueueUrl,
            WaitTime = TimeSpan.Zero,
            VisibilityTimeout = Visibility,
            RetryBackoff = new RetryBackoffOptions { Enabled = false },
        };
        configure?.Invoke(options);
        return new TaskQueueHandler(Sqs, Options.Create(options), timeProvider: Time);
    }

    /// <summary>Lets the time pass on the backend's clock (fake time moves on, or a real wait).</summary>
    protected Task LetTimePassAsync(TimeSpan duration) => Backend.LetTimePassAsync(duration);

    /// <summary>
    /// Peeks at the dead letters. The peek long-polls its last page for a second, so on fake time the clock is moved
    /// on by that second while it waits (on the server this is a real wait of about as long as the poll).
    /// </summary>
    protected async Task<IReadOnlyList<DeadLetterMessage>> PeekAsync(TaskQueueHandler handler, int maxMessages = 10)
    {
        var peek = handler.GetDlqMessagesAsync(maxMessages);
        if (!peek.IsCompleted)
        {
            await LetTimePassAsync(PeekPageWait);
        }

        return await peek.WaitAsync(Guard);
    }

    /// <summary>Sends one message with a raw body through the plain client, as another producer would.</summary>
    /// <returns>Its message id.</returns>
    protected async Task<string> SendRawAsync(
        string queueUrl, string body, string group = "raw-group", IReadOnlyDictionary<string, string>? attributes = null)
    {
        var sent = await Sqs.SendMessageBatchAsync(
            queueUrl, [new OutgoingMessage("raw", body, group, Guid.NewGuid().ToString("N"), attributes)]);
        sent.Failed.Should().BeEmpty("the raw message is a valid SQS message, whatever its body");
        return sent.Successful.Single().MessageId;
    }

    /// <summary>
    /// Receives with the plain client and deletes what came back, until a receive returns nothing. Works whether the
    /// service returns one message per FIFO group per receive (fauxqs) or several (AWS, the in-memory SQS).
    /// </summary>
    protected async Task<List<ReceivedMessage>> DrainAsync(string queueUrl, int maxReceives = 50)
    {
        var delivered = new List<ReceivedMessage>();
        for (var receive = 0; receive < maxReceives; receive++)
        {
            var batch = await Sqs.ReceiveMessagesAsync(queueUrl, new ReceiveOptions(10, TimeSpan.Zero));
            if (batch.Count == 0)
            {
                break;
            }

            foreach (var message in batch)
            {
                await Sqs.DeleteMessageAsync(queueUrl, message.ReceiptHandle);
                delivered.Add(message);
            }
        }

        return delivered;
    }

    /// <summary>Processes one message, capturing the task and context the handler saw.</summary>
    protected static async Task<(ProcessResult<bool> Result, TaskMessage Task, TaskContext Context)> ProcessCapturingAsync(TaskQueueHandler handler)
    {
        TaskMessage? seenTask = null;
        TaskContext? seenContext = null;
        var result = await handler.ProcessOneAsync((task, context) =>
        {
            seenTask = task;
            seenContext = context;
            return Task.CompletedTask;
        });
        result.Should().NotBeNull("a message was sent");
        seenTask.Should().NotBeNull("the handler runs for a valid task message");
        return (result!, seenTask!, seenContext!);
    }
}
