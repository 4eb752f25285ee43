using System.Security.Cryptography;
using System.Text;
using FluentAssertions;
using Microsoft.Extensions.Time.Testing;
using TaskQueue.Sqs;
using TaskQueue.Testing;

namespace TaskQueue.ContractTests;

/// <summary>
/// What only the in-memory SQS can show quickly: behaviour that takes minutes of real time (deduplication window,
/// delays, retention, long polls) on a fake clock, and AWS behaviour the local server does not copy.
/// </summary>
public sealed class InMemorySqsClientTests
{
    private static readonly TimeSpan GuardTimeout = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));
    private readonly InMemorySqsClient _sqs;
    private int _entry;

    public InMemorySqsClientTests() => _sqs = new InMemorySqsClient(_time);

    // ---- deduplication window, delays, retention ----

    [Fact]
    public async Task SendMessageBatch_SameDeduplicationIdJustInsideFiveMinutes_IsNotDeliveredAgain()
    {
        var queue = await CreateFifoQueueAsync();
        await SendAsync(queue, Entry("g", "first", "dedup"));
        await DeleteAllAsync(queue);

        _time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        await SendAsync(queue, Entry("g", "second", "dedup"));

        (await ReceiveAsync(queue)).Should().BeEmpty();
    }

    [Fact]
    public async Task SendMessageBatch_SameDeduplicationIdAfterFiveMinutes_IsDeliveredAgain()
    {
        var queue = await CreateFifoQueueAsync();
        var first = await SendAsync(queue, Entry("g", "first", "dedup"));
        await DeleteAllAsync(queue);

        _time.Advance(TimeSpan.FromMinutes(5));
        var second = await SendAsync(queue, Entry("g", "second", "dedup"));

        second.Successful.Single().MessageId.Should().NotBe(first.Successful.Single().MessageId);
        (await ReceiveAsync(queue)).Select(m => m.Body).Should().Equal("second");
    }

    [Fact]
    public async Task SendMessageBatch_ContentBasedDeduplication_UsesSha256OfBodyAsDeduplicationId()
    {
        var queue = await CreateFifoQueueAsync(new() { [QueueAttributeNames.ContentBasedDeduplication] = "true" });
        await SendAsync(queue, new OutgoingMessage("a", "hello", "g"));

        var received = (await ReceiveAsync(queue)).Single();

        var expected = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes("hello"))).ToLowerInvariant();
        received.SystemAttributes.Should().Contain(SystemAttributeNames.MessageDeduplicationId, expected);
    }

    [Fact]
    public async Task ReceiveMessages_QueueWithDelay_DeliversOnlyOnceTheDelayHasPassed()
    {
        var queue = await CreateFifoQueueAsync(new() { [QueueAttributeNames.DelaySeconds] = "30" });
        await SendAsync(queue, Entry("g", "later"));

        _time.Advance(TimeSpan.FromSeconds(29));
        var tooEarly = await ReceiveAsync(queue);
        _time.Advance(TimeSpan.FromSeconds(1));
        var onTime = await ReceiveAsync(queue);

        tooEarly.Should().BeEmpty();
        onTime.Select(m => m.Body).Should().Equal("later");
    }

    [Fact]
    public async Task ReceiveMessages_MessageOlderThanRetentionPeriod_IsGone()
    {
        var queue = await CreateFifoQueueAsync(new() { [QueueAttributeNames.MessageRetentionPeriod] = "60" });
        await SendAsync(queue, Entry("g", "old"));
        _time.Advance(TimeSpan.FromSeconds(59));
        await SendAsync(queue, Entry("h", "young"));

        _time.Advance(TimeSpan.FromSeconds(1));
        var received = await ReceiveAsync(queue);

        received.Select(m => m.Body).Should().Equal("young");
        (await CountAsync(queue, QueueAttributeNames.ApproximateNumberOfMessagesNotVisible)).Should().Be(1);
    }

    [Fact]
    public async Task GetQueueAttributes_InFlightMessagePastRetention_CountsNothing()
    {
        var queue = await CreateFifoQueueAsync(new() { [QueueAttributeNames.MessageRetentionPeriod] = "60" });
        await SendAsync(queue, Entry("g", "old"));
        await _sqs.ReceiveMessagesAsync(queue, new ReceiveOptions(1, TimeSpan.Zero, TimeSpan.FromHours(1)));

        _time.Advance(TimeSpan.FromSeconds(60));

        (await CountAsync(queue, QueueAttributeNames.ApproximateNumberOfMessagesNotVisible)).Should().Be(0);
    }

    // ---- long polling ----

    [Fact]
    public async Task ReceiveMessages_LongPollWokenBySend_ReturnsTheMessageWithoutTimePassing()
    {
        var queue = await CreateFifoQueueAsync();
        var receive = _sqs.ReceiveMessagesAsync(queue, new ReceiveOptions(10, TimeSpan.FromSeconds(20)));
        receive.IsCompleted.Should().BeFalse("nothing has been sent yet");

        await SendAsync(queue, Entry("g", "wake up"));

        (await receive.WaitAsync(GuardTimeout)).Select(m => m.Body).Should().Equal("wake up");
    }

    [Fact]
    public async Task ReceiveMessages_LongPollWithNothingSent_ReturnsEmptyOnceTheWaitHasPassed()
    {
        var queue = await CreateFifoQueueAsync();
        var receive = _sqs.ReceiveMessagesAsync(queue, new ReceiveOptions(10, TimeSpan.FromSeconds(20)));

        _time.Advance(TimeSpan.FromSeconds(19));
        var completedEarly = receive.IsCompleted;
        _time.Advance(TimeSpan.FromSeconds(1));

        completedEarly.Should().BeFalse();
        (await receive.WaitAsync(GuardTimeout)).Should().BeEmpty();
    }

    [Fact]
    public async Task ReceiveMessages_LongPollWhileMessageInFlight_ReturnsItWhenVisibilityExpires()
    {
        var queue = await CreateFifoQueueAsync();
        await SendAsync(queue, Entry("g", "retry me"));
        await _sqs.ReceiveMessagesAsync(queue, new ReceiveOptions(1, TimeSpan.Zero, TimeSpan.FromSeconds(10)));
        var receive = _sqs.ReceiveMessagesAsync(queue, new ReceiveOptions(10, TimeSpan.FromSeconds(20)));

        _time.Advance(TimeSpan.FromSeconds(10));

        (await receive.WaitAsync(GuardTimeout)).Should().ContainSingle().Which.ReceiveCount.Should().Be(2);
    }

    [Fact]
    public async Task ReceiveMessages_LongPollWhileGroupLocked_ReturnsNextMessageWhenHeadIsDeleted()
    {
        var queue = await CreateFifoQueueAsync();
        await SendAsync(queue, Entry("g", "head"), Entry("g", "next"));
        var head = await _sqs.ReceiveMessagesAsync(queue, new ReceiveOptions(1, TimeSpan.Zero));
        var receive = _sqs.ReceiveMessagesAsync(queue, new ReceiveOptions(10, TimeSpan.FromSeconds(20)));

        await _sqs.DeleteMessageAsync(queue, head.Single().ReceiptHandle);

        (await receive.WaitAsync(GuardTimeout)).Select(m => m.Body).Should().Equal("next");
    }

    [Fact]
    public async Task ReceiveMessages_LongPollCancelled_ThrowsOperationCanceled()
    {
        var queue = await CreateFifoQueueAsync();
        using var cancellation = new CancellationTokenSource();
        var receive = _sqs.ReceiveMessagesAsync(queue, new ReceiveOptions(10, TimeSpan.FromSeconds(20)), cancellation.Token);

        await cancellation.CancelAsync();

        await FluentActions.Awaiting(() => receive.WaitAsync(GuardTimeout)).Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task ReceiveMessages_LongPollWhenQueueDeleted_ThrowsQueueDoesNotExist()
    {
        var queue = await CreateFifoQueueAsync();
        var receive = _sqs.ReceiveMessagesAsync(queue, new ReceiveOptions(10, TimeSpan.FromSeconds(20)));

        await _sqs.DeleteQueueAsync(queue);

        await FluentActions.Awaiting(() => receive.WaitAsync(GuardTimeout)).Should().ThrowAsync<QueueDoesNotExistException>();
    }

    [Fact]
    public async Task ReceiveMessages_RealClockLongPoll_IsWokenBySend()
    {
        var sqs = new InMemorySqsClient();
        var queue = await sqs.CreateQueueAsync("real-clock.fifo", Fifo());
        var receive = sqs.ReceiveMessagesAsync(queue, new ReceiveOptions(10, TimeSpan.FromSeconds(20)));

        await sqs.SendMessageBatchAsync(queue, [Entry("g", "now")]);

        (await receive.WaitAsync(GuardTimeout)).Select(m => m.Body).Should().Equal("now");
    }

    [Fact]
    public async Task ReceiveMessages_RealClockLongPollWithNothingSent_ReturnsEmptyAfterTheWait()
    {
        var sqs = new InMemorySqsClient();
        var queue = await sqs.CreateQueueAsync("real-clock-empty.fifo", Fifo());
        var started = TimeProvider.System.GetTimestamp();

        var received = await sqs.ReceiveMessagesAsync(queue, new ReceiveOptions(10, TimeSpan.FromSeconds(1))).WaitAsync(GuardTimeout);

        received.Should().BeEmpty();
        TimeProvider.System.GetElapsedTime(started).Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(900));
    }

    // ---- FIFO delivery as AWS does it ----

    [Fact]
    public async Task ReceiveMessages_SeveralMessagesOfOneGroup_ReturnsThemTogetherInOrder()
    {
        var queue = await CreateFifoQueueAsync();
        await SendAsync(queue, Entry("g", "1"), Entry("g", "2"), Entry("g", "3"));

        var received = await ReceiveAsync(queue);

        received.Select(m => m.Body).Should().Equal("1", "2", "3");
    }

    [Fact]
    public async Task ReceiveMessages_OnePerGroupMode_ReturnsOneMessageOfEachGroupPerReceive()
    {
        var sqs = new InMemorySqsClient(_time, new InMemorySqsOptions { FifoReceiveMode = FifoReceiveMode.OnePerGroup });
        var queue = await sqs.CreateQueueAsync("one-per-group.fifo", Fifo());
        await sqs.SendMessageBatchAsync(queue, [Entry("g", "1"), Entry("g", "2"), Entry("h", "3")]);

        var first = await sqs.ReceiveMessagesAsync(queue, new ReceiveOptions(10, TimeSpan.Zero));
        await sqs.DeleteMessageAsync(queue, first[0].ReceiptHandle);
        var second = await sqs.ReceiveMessagesAsync(queue, new ReceiveOptions(10, TimeSpan.Zero));

        first.Select(m => m.Body).Should().Equal("1", "3");
        second.Select(m => m.Body).Should().Equal("2");
    }

    [Fact]
    public async Task ReceiveMessages_HeadReleasedWhileLaterMessageOfGroupInFlight_DeliversNothingOfThatGroup()
    {
        var queue = await CreateFifoQueueAsync();
        await SendAsync(queue, Entry("g", "1"), Entry("g", "2"));
        var both = await ReceiveAsync(queue);
        await _sqs.ChangeMessageVisibilityAsync(queue, both[0].ReceiptHandle, TimeSpan.Zero);

        var whileSecondInFlight = await ReceiveAsync(queue);

        both.Select(m => m.Body).Should().Equal("1", "2");
        whileSecondInFlight.Should().BeEmpty("message 2 of the group is still in flight");
    }

    [Fact]
    public async Task ReceiveMessages_SeveralGroups_ServesOldestGroupFirst()
    {
        var queue = await CreateFifoQueueAsync();
        await SendAsync(queue, Entry("late", "l1"));
        await SendAsync(queue, Entry("early", "e1"));
        await SendAsync(queue, Entry("late", "l2"));

        var received = await _sqs.ReceiveMessagesAsync(queue, new ReceiveOptions(2, TimeSpan.Zero));

        received.Select(m => m.Body).Should().Equal("l1", "l2");
    }

    [Fact]
    public async Task ReceiveMessages_ConcurrentReceivers_NeverDeliverTwoMessagesOfOneGroupAtOnce()
    {
        var queue = await CreateFifoQueueAsync();
        for (var group = 0; group < 5; group++)
        {
            await SendAsync(queue, Enumerable.Range(0, 10).Select(i => Entry($"g{group}", $"g{group}-{i}")).ToArray());
        }

        var inFlightGroups = new HashSet<string>();
        var delivered = new List<string>();
        var overlaps = 0;
        var workers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            for (var round = 0; round < 200; round++)
            {
                foreach (var message in await _sqs.ReceiveMessagesAsync(queue, new ReceiveOptions(1, TimeSpan.Zero)))
                {
                    lock (inFlightGroups)
                    {
                        overlaps += inFlightGroups.Add(message.MessageGroupId!) ? 0 : 1;
                        delivered.Add(message.Body);
                    }

                    lock (inFlightGroups)
                    {
                        inFlightGroups.Remove(message.MessageGroupId!);
                    }

                    await _sqs.DeleteMessageAsync(queue, message.ReceiptHandle);
                }
            }
        }));

        await Task.WhenAll(workers).WaitAsync(GuardTimeout);

        overlaps.Should().Be(0);
        delivered.Should().HaveCount(50).And.OnlyHaveUniqueItems();
        for (var group = 0; group < 5; group++)
        {
            var prefix = $"g{group}-";
            delivered.Where(b => b.StartsWith(prefix, StringComparison.Ordinal))
                .Select(b => int.Parse(b[prefix.Length..], System.Globalization.CultureInfo.InvariantCulture))
                .Should().BeInAscendingOrder();
        }
    }

    // ---- high throughput, receive attempts, system attributes (the local server deduplicates per queue and ignores attempt ids) ----

    [Fact]
    public async Task SendMessageBatch_MessageGroupScope_SameDeduplicationIdInTwoGroupsDeliversBoth()
    {
        var queue = await CreateFifoQueueAsync(HighThroughput());

        await SendAsync(queue, Entry("a", "in a", "same"), Entry("b", "in b", "same"), Entry("a", "again in a", "same"));

        (await ReceiveAsync(queue)).Select(m => m.Body).Should().BeEquivalentTo("in a", "in b");
    }

    [Fact]
    public async Task SendMessageBatch_QueueScope_SameDeduplicationIdInTwoGroupsDeliversOnce()
    {
        var queue = await CreateFifoQueueAsync();

        await SendAsync(queue, Entry("a", "in a", "same"), Entry("b", "in b", "same"));

        (await ReceiveAsync(queue)).Select(m => m.Body).Should().Equal("in a");
    }

    [Theory]
    [InlineData("queue", "perMessageGroupId")]
    [InlineData("group", "perQueue")]
    public async Task CreateQueue_ThroughputLimitPerGroupWithoutGroupScopeOrUnknownValue_IsRejected(string scope, string limit)
    {
        var create = () => CreateFifoQueueAsync(new Dictionary<string, string>
        {
            [QueueAttributeNames.DeduplicationScope] = scope,
            [QueueAttributeNames.FifoThroughputLimit] = limit,
        });

        (await create.Should().ThrowAsync<SqsRequestException>()).Which.ErrorCode.Should().Be("InvalidAttributeValue");
    }

    [Fact]
    public async Task ReceiveMessages_RetriedWithItsAttemptId_ReturnsTheSameMessagesAndHandlesAndHidesThemAgain()
    {
        var queue = await CreateFifoQueueAsync();
        await SendAsync(queue, Entry("g", "first"), Entry("g", "second"), Entry("h", "other"));
        var first = await ReceiveAttemptAsync(queue, "attempt-1", maxMessages: 2);
        _time.Advance(TimeSpan.FromSeconds(20));

        var retried = await ReceiveAttemptAsync(queue, "attempt-1", maxMessages: 2);
        _time.Advance(TimeSpan.FromSeconds(20));
        var other = await ReceiveAsync(queue);

        retried.Select(m => (m.MessageId, m.ReceiptHandle, m.ReceiveCount)).Should().Equal(first.Select(m => (m.MessageId, m.ReceiptHandle, m.ReceiveCount)));
        retried.Select(m => m.Body).Should().Equal("first", "second");
        other.Select(m => m.Body).Should().Equal(["other"], "the retry restarted the 30 s visibility timeout of what it returned");
    }

    [Fact]
    public async Task ReceiveMessages_AttemptIdRetriedAfterAVisibilityChange_ReceivesAnew()
    {
        var queue = await CreateFifoQueueAsync();
        await SendAsync(queue, Entry("g", "task"));
        var first = (await ReceiveAttemptAsync(queue, "attempt-1", maxMessages: 1)).Single();
        await _sqs.ChangeMessageVisibilityAsync(queue, first.ReceiptHandle, TimeSpan.Zero);

        var retried = (await ReceiveAttemptAsync(queue, "attempt-1", maxMessages: 1)).Single();

        retried.ReceiptHandle.Should().NotBe(first.ReceiptHandle);
        retried.ReceiveCount.Should().Be(2);
    }

    [Fact]
    public async Task ReceiveMessages_AttemptIdRetriedAfterFiveMinutes_ReceivesAnew()
    {
        var queue = await CreateFifoQueueAsync(new Dictionary<string, string> { [QueueAttributeNames.VisibilityTimeout] = "600" });
        await SendAsync(queue, Entry("g", "task"));
        await ReceiveAttemptAsync(queue, "attempt-1", maxMessages: 1);
        _time.Advance(TimeSpan.FromMinutes(5));

        (await ReceiveAttemptAsync(queue, "attempt-1", maxMessages: 1)).Should().BeEmpty("the message is still hidden and SQS forgot the attempt");
    }

    [Fact]
    public async Task ReceiveMessages_SystemAttributesNamed_ReturnsOnlyThose()
    {
        var queue = await CreateFifoQueueAsync();
        await SendAsync(queue, Entry("g", "task"));

        var received = await _sqs.ReceiveMessagesAsync(queue, new ReceiveOptions(1, TimeSpan.Zero)
        {
            SystemAttributes = [SystemAttributeNames.ApproximateReceiveCount],
        });

        received.Single().SystemAttributes.Keys.Should().Equal(SystemAttributeNames.ApproximateReceiveCount);
    }

    [Theory]
    [InlineData(new[] { "entity_id" }, new[] { "entity_id" })]
    [InlineData(new[] { "traceparent", "absent" }, new string[0])]
    [InlineData(new[] { "tenant.*" }, new[] { "tenant.id", "tenant.region" })]
    [InlineData(new[] { "tenant.*", "task_name" }, new[] { "task_name", "tenant.id", "tenant.region" })]
    [InlineData(new[] { "Entity_id", "tenant" }, new string[0])]
    [InlineData(new string[0], new string[0])]
    [InlineData(new[] { "All" }, new[] { "entity_id", "task_name", "tenant.id", "tenant.region", "tenantry" })]
    [InlineData(new[] { ".*" }, new[] { "entity_id", "task_name", "tenant.id", "tenant.region", "tenantry" })]
    public async Task ReceiveMessages_MessageAttributesNamed_ReturnsOnlyThoseAsSqsMatchesThem(string[] asked, string[] returned)
    {
        var queue = await CreateFifoQueueAsync();
        await SendAsync(queue, Entry("g", "task", attributes: new Dictionary<string, string>
        {
            ["entity_id"] = "doc-1", ["task_name"] = "ocr", ["tenant.id"] = "acme", ["tenant.region"] = "eu", ["tenantry"] = "x",
        }));

        var received = await _sqs.ReceiveMessagesAsync(queue, new ReceiveOptions(1, TimeSpan.Zero) { MessageAttributes = asked });

        received.Single().Attributes.Keys.Should().BeEquivalentTo(returned);
    }

    [Fact]
    public async Task ReceiveMessages_NoMessageAttributesNamed_ReturnsEveryOne()
    {
        var queue = await CreateFifoQueueAsync();
        await SendAsync(queue, Entry("g", "task", attributes: new Dictionary<string, string> { ["entity_id"] = "doc-1", ["tenant"] = "acme" }));

        var received = await _sqs.ReceiveMessagesAsync(queue, new ReceiveOptions(1, TimeSpan.Zero) { SystemAttributes = [SystemAttributeNames.MessageGroupId] });

        received.Single().Attributes.Should().Equal(new Dictionary<string, string> { ["entity_id"] = "doc-1", ["tenant"] = "acme" });
        received.Single().SystemAttributes.Keys.Should().Equal(SystemAttributeNames.MessageGroupId);
    }

    // ---- receipt handles ----

    [Fact]
    public async Task DeleteMessage_StaleReceiptHandleAfterRedelivery_ThrowsReceiptHandleIsInvalid()
    {
        var queue = await CreateFifoQueueAsync();
        await SendAsync(queue, Entry("g", "task"));
        var first = (await ReceiveAsync(queue)).Single();
        _time.Advance(TimeSpan.FromSeconds(30));
        await ReceiveAsync(queue);

        var delete = () => _sqs.DeleteMessageAsync(queue, first.ReceiptHandle);

        (await delete.Should().ThrowAsync<SqsRequestException>()).Which.ErrorCode.Should().Be("ReceiptHandleIsInvalid");
    }

    [Fact]
    public async Task ChangeMessageVisibility_StaleReceiptHandleAfterRedelivery_ThrowsReceiptHandleIsInvalid()
    {
        var queue = await CreateFifoQueueAsync();
        await SendAsync(queue, Entry("g", "task"));
        var first = (await ReceiveAsync(queue)).Single();
        _time.Advance(TimeSpan.FromSeconds(30));
        await ReceiveAsync(queue);

        var change = () => _sqs.ChangeMessageVisibilityAsync(queue, first.ReceiptHandle, TimeSpan.FromSeconds(60));

        (await change.Should().ThrowAsync<SqsRequestException>()).Which.ErrorCode.Should().Be("ReceiptHandleIsInvalid");
    }

    [Fact]
    public async Task ChangeMessageVisibility_AfterVisibilityExpired_ThrowsMessageNotInflight()
    {
        var queue = await CreateFifoQueueAsync();
        await SendAsync(queue, Entry("g", "task"));
        var received = (await ReceiveAsync(queue)).Single();
        _time.Advance(TimeSpan.FromSeconds(30));

        var change = () => _sqs.ChangeMessageVisibilityAsync(queue, received.ReceiptHandle, TimeSpan.FromSeconds(60));

        (await change.Should().ThrowAsync<SqsRequestException>()).Which.ErrorCode.Should().Contain("MessageNotInflight");
    }

    [Fact]
    public async Task ChangeMessageVisibility_BeyondTwelveHoursAfterReceive_ThrowsInvalidParameterValue()
    {
        var queue = await CreateFifoQueueAsync();
        await SendAsync(queue, Entry("g", "task"));
        var received = (await ReceiveAsync(queue)).Single();
        await _sqs.ChangeMessageVisibilityAsync(queue, received.ReceiptHandle, TimeSpan.FromHours(11));
        _time.Advance(TimeSpan.FromHours(2));

        var change = () => _sqs.ChangeMessageVisibilityAsync(queue, received.ReceiptHandle, TimeSpan.FromHours(11));

        (await change.Should().ThrowAsync<SqsRequestException>()).Which.ErrorCode.Should().Be("InvalidParameterValue");
    }

    [Fact]
    public async Task ChangeMessageVisibility_TimeoutOverTwelveHours_ThrowsInvalidParameterValue()
    {
        var queue = await CreateFifoQueueAsync();
        await SendAsync(queue, Entry("g", "task"));
        var received = (await ReceiveAsync(queue)).Single();

        var change = () => _sqs.ChangeMessageVisibilityAsync(queue, received.ReceiptHandle, TimeSpan.FromSeconds(43_201));

        (await change.Should().ThrowAsync<SqsRequestException>()).Which.ErrorCode.Should().Be("InvalidParameterValue");
    }

    [Fact]
    public async Task DeleteMessage_FifoHandleAfterVisibilityExpired_ThrowsReceiptHandleExpiredAndKeepsMessage()
    {
        var queue = await CreateFifoQueueAsync();
        await SendAsync(queue, Entry("g", "task"));
        var received = (await ReceiveAsync(queue)).Single();
        _time.Advance(TimeSpan.FromSeconds(30));

        var delete = () => _sqs.DeleteMessageAsync(queue, received.ReceiptHandle);

        (await delete.Should().ThrowAsync<SqsRequestException>()).Which.Message.Should().Contain("expired");
        (await ReceiveAsync(queue)).Should().ContainSingle().Which.ReceiveCount.Should().Be(2);
    }

    [Fact]
    public async Task DeleteMessage_StandardQueueLatestHandleAfterVisibilityExpired_DeletesTheMessage()
    {
        var queue = await _sqs.CreateQueueAsync("plain-expired", new Dictionary<string, string>());
        await SendAsync(queue, new OutgoingMessage("a", "task"));
        var received = (await ReceiveAsync(queue)).Single();
        _time.Advance(TimeSpan.FromSeconds(30));

        await _sqs.DeleteMessageAsync(queue, received.ReceiptHandle);

        (await ReceiveAsync(queue)).Should().BeEmpty();
    }

    [Fact]
    public async Task DeleteMessage_MadeUpHandle_ThrowsReceiptHandleIsInvalid()
    {
        var queue = await CreateFifoQueueAsync();

        var delete = () => _sqs.DeleteMessageAsync(queue, "not-a-receipt-handle");

        (await delete.Should().ThrowAsync<SqsRequestException>()).Which.ErrorCode.Should().Be("ReceiptHandleIsInvalid");
    }

    [Fact]
    public async Task DeleteMessageBatch_OneMadeUpHandle_FailsThatEntryAndDeletesTheOthers()
    {
        var queue = await CreateFifoQueueAsync();
        await SendAsync(queue, Entry("a", "task-a"), Entry("b", "task-b"));
        var received = await ReceiveAsync(queue);

        var result = await _sqs.DeleteMessageBatchAsync(queue,
        [
            new ReceiptEntry("a", received[0].ReceiptHandle),
            new ReceiptEntry("bad", "not-a-receipt-handle"),
            new ReceiptEntry("b", received[1].ReceiptHandle),
        ]);
        _time.Advance(TimeSpan.FromSeconds(30));

        result.SuccessfulIds.Should().Equal("a", "b");
        result.Failed.Should().ContainSingle().Which.Should().Match<BatchEntryFailure>(
            f => f.Id == "bad" && f.Code == "ReceiptHandleIsInvalid" && f.SenderFault);
        (await ReceiveAsync(queue)).Should().BeEmpty();
    }

    [Fact]
    public async Task DeleteMessage_SameHandleTwice_SucceedsBothTimes()
    {
        var queue = await CreateFifoQueueAsync();
        await SendAsync(queue, Entry("g", "task"));
        var received = (await ReceiveAsync(queue)).Single();
        await _sqs.DeleteMessageAsync(queue, received.ReceiptHandle);

        var again = () => _sqs.DeleteMessageAsync(queue, received.ReceiptHandle);

        await again.Should().NotThrowAsync();
    }

    [Fact]
    public async Task DeleteMessage_HandleOfAnotherQueue_ThrowsReceiptHandleIsInvalid()
    {
        var queue = await CreateFifoQueueAsync();
        var other = await CreateFifoQueueAsync();
        await SendAsync(queue, Entry("g", "task"));
        var received = (await ReceiveAsync(queue)).Single();

        var delete = () => _sqs.DeleteMessageAsync(other, received.ReceiptHandle);

        (await delete.Should().ThrowAsync<SqsRequestException>()).Which.ErrorCode.Should().Be("ReceiptHandleIsInvalid");
    }

    // ---- redrive ----

    [Fact]
    public async Task ReceiveMessages_FromDeadLetterQueue_StartsReceiveCountAfresh()
    {
        var deadLetters = await CreateFifoQueueAsync();
        var queue = await CreateFifoQueueAsync(new()
        {
            [QueueAttributeNames.RedrivePolicy] = $"{{\"deadLetterTargetArn\":\"{await ArnAsync(deadLetters)}\",\"maxReceiveCount\":\"1\"}}",
        });
        await SendAsync(queue, Entry("g", "poison"));
        await ReceiveAsync(queue);
        _time.Advance(TimeSpan.FromSeconds(30));

        var fromSource = await ReceiveAsync(queue);
        var fromDeadLetters = (await ReceiveAsync(deadLetters)).Single();

        fromSource.Should().BeEmpty();
        fromDeadLetters.ReceiveCount.Should().Be(1);
        fromDeadLetters.SentTimestamp.Should().Be(_time.GetUtcNow() - TimeSpan.FromSeconds(30));
    }

    // ---- queues ----

    [Fact]
    public async Task CreateQueue_Fifo_ReturnsUrlAndArnOfTheInMemoryAccount()
    {
        var url = await _sqs.CreateQueueAsync("orders.fifo", Fifo());

        url.Should().Be("http://in-memory-sqs/000000000000/orders.fifo");
        (await ArnAsync(url)).Should().Be("arn:aws:sqs:us-east-1:000000000000:orders.fifo");
    }

    [Fact]
    public async Task CreateQueue_FifoNameWithoutFifoAttribute_ThrowsSqsRequestException()
    {
        var create = () => _sqs.CreateQueueAsync("orders.fifo", new Dictionary<string, string>());

        (await create.Should().ThrowAsync<SqsRequestException>()).Which.Message.Should().Contain("FifoQueue");
    }

    [Fact]
    public async Task CreateQueue_FifoAttributeWithoutFifoSuffix_ThrowsSqsRequestException()
    {
        var create = () => _sqs.CreateQueueAsync("orders", Fifo());

        (await create.Should().ThrowAsync<SqsRequestException>()).Which.Message.Should().Contain(".fifo");
    }

    [Fact]
    public async Task CreateQueue_ExistingWithSameAttributes_ReturnsSameUrl()
    {
        var first = await _sqs.CreateQueueAsync("orders.fifo", Fifo(new() { [QueueAttributeNames.VisibilityTimeout] = "45" }));

        var second = await _sqs.CreateQueueAsync("orders.fifo", Fifo(new() { [QueueAttributeNames.VisibilityTimeout] = "45" }));

        second.Should().Be(first);
    }

    [Fact]
    public async Task CreateQueue_ExistingWithDifferentAttributes_ThrowsQueueAlreadyExists()
    {
        await _sqs.CreateQueueAsync("orders.fifo", Fifo(new() { [QueueAttributeNames.VisibilityTimeout] = "45" }));

        var create = () => _sqs.CreateQueueAsync("orders.fifo", Fifo(new() { [QueueAttributeNames.VisibilityTimeout] = "60" }));

        (await create.Should().ThrowAsync<SqsRequestException>()).Which.ErrorCode.Should().Be("QueueAlreadyExists");
    }

    [Fact]
    public async Task CreateQueue_VisibilityTimeoutOutOfRange_ThrowsSqsRequestException()
    {
        var create = () => _sqs.CreateQueueAsync("orders.fifo", Fifo(new() { [QueueAttributeNames.VisibilityTimeout] = "43201" }));

        await create.Should().ThrowAsync<SqsRequestException>();
    }

    [Fact]
    public async Task CreateQueue_RedrivePolicyToMissingQueue_ThrowsSqsRequestException()
    {
        var create = () => _sqs.CreateQueueAsync("orders.fifo", Fifo(new()
        {
            [QueueAttributeNames.RedrivePolicy] = "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:000000000000:nope.fifo\",\"maxReceiveCount\":3}",
        }));

        (await create.Should().ThrowAsync<SqsRequestException>()).Which.Message.Should().Contain("nope.fifo");
    }

    [Fact]
    public async Task DeleteQueue_ThenSend_ThrowsQueueDoesNotExistNamingTheUrl()
    {
        var queue = await CreateFifoQueueAsync();
        await _sqs.DeleteQueueAsync(queue);

        var send = () => _sqs.SendMessageBatchAsync(queue, [Entry("g", "x")]);

        (await send.Should().ThrowAsync<QueueDoesNotExistException>()).Which.Message.Should().Contain(queue);
    }

    [Fact]
    public async Task GetQueueAttributes_UnknownName_ThrowsInvalidAttributeName()
    {
        var queue = await CreateFifoQueueAsync();

        var read = () => _sqs.GetQueueAttributesAsync(queue, ["NoSuchAttribute"]);

        (await read.Should().ThrowAsync<SqsRequestException>()).Which.ErrorCode.Should().Be("InvalidAttributeName");
    }

    [Fact]
    public async Task SendMessageBatch_StandardQueue_DeliversWithoutGroup()
    {
        var queue = await _sqs.CreateQueueAsync("plain", new Dictionary<string, string>());

        await SendAsync(queue, new OutgoingMessage("a", "plain body"));
        var received = (await ReceiveAsync(queue)).Single();

        received.Body.Should().Be("plain body");
        received.MessageGroupId.Should().BeNull();
    }

    // ---- per-entry and request limits ----

    [Fact]
    public async Task SendMessageBatch_EntryOverMaximumMessageSize_FailsOnlyThatEntry()
    {
        var queue = await CreateFifoQueueAsync(new() { [QueueAttributeNames.MaximumMessageSize] = "1024" });
        var attributes = new Dictionary<string, string> { ["k"] = "v" };

        // 1,016 body bytes + "k" + "String" + "v" = 1,024: exactly at the limit.
        var result = await _sqs.SendMessageBatchAsync(queue,
        [
            Entry("g", new string('x', 1016), attributes: attributes),
            Entry("g", new string('x', 1017), attributes: attributes),
        ]);

        result.Successful.Should().ContainSingle().Which.Id.Should().Be("e1");
        result.Failed.Should().ContainSingle().Which.Should().Match<BatchEntryFailure>(
            f => f.Id == "e2" && f.Code == "InvalidParameterValue" && f.SenderFault);
    }

    [Fact]
    public async Task SendMessageBatch_EntryWithElevenAttributes_FailsThatEntry()
    {
        var queue = await CreateFifoQueueAsync();
        var attributes = Enumerable.Range(0, 11).ToDictionary(i => $"a{i}", i => "v");

        var result = await _sqs.SendMessageBatchAsync(queue, [Entry("g", "x", attributes: attributes)]);

        result.Failed.Should().ContainSingle().Which.Code.Should().Be("InvalidParameterValue");
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("é")]
    [InlineData("")]
    public async Task SendMessageBatch_InvalidGroupId_FailsThatEntry(string groupId)
    {
        var queue = await CreateFifoQueueAsync();

        var result = await _sqs.SendMessageBatchAsync(queue, [Entry(groupId, "x")]);

        result.Failed.Should().ContainSingle().Which.Code.Should().Be("InvalidParameterValue");
    }

    [Fact]
    public async Task SendMessageBatch_DeduplicationIdOf129Characters_FailsThatEntry()
    {
        var queue = await CreateFifoQueueAsync();

        var result = await _sqs.SendMessageBatchAsync(queue, [Entry("g", "x", new string('d', 129))]);

        result.Failed.Should().ContainSingle().Which.Code.Should().Be("InvalidParameterValue");
    }

    [Fact]
    public async Task SendMessageBatch_MissingGroupId_FailsWithMissingParameter()
    {
        var queue = await CreateFifoQueueAsync();

        var result = await _sqs.SendMessageBatchAsync(queue, [new OutgoingMessage("a", "x", null, "d")]);

        result.Failed.Should().ContainSingle().Which.Code.Should().Be("MissingParameter");
    }

    [Theory]
    [InlineData("has.dot")]
    [InlineData("x123456789012345678901234567890123456789012345678901234567890123456789012345678901")]
    public async Task SendMessageBatch_InvalidEntryId_ThrowsInvalidBatchEntryId(string entryId)
    {
        var queue = await CreateFifoQueueAsync();

        var send = () => _sqs.SendMessageBatchAsync(queue, [new OutgoingMessage(entryId, "x", "g", "d")]);

        (await send.Should().ThrowAsync<SqsRequestException>()).Which.ErrorCode.Should().Be("AWS.SimpleQueueService.InvalidBatchEntryId");
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(11, 0)]
    [InlineData(1, 21)]
    public async Task ReceiveMessages_CountOrWaitOutOfRange_ThrowsInvalidParameterValue(int maxMessages, int waitSeconds)
    {
        var queue = await CreateFifoQueueAsync();

        var receive = () => _sqs.ReceiveMessagesAsync(queue, new ReceiveOptions(maxMessages, TimeSpan.FromSeconds(waitSeconds)));

        (await receive.Should().ThrowAsync<SqsRequestException>()).Which.ErrorCode.Should().Be("InvalidParameterValue");
    }

    // ---- helpers ----

    private static Dictionary<string, string> Fifo(Dictionary<string, string>? more = null)
    {
        var attributes = more ?? [];
        attributes[QueueAttributeNames.FifoQueue] = "true";
        return attributes;
    }

    private Task<string> CreateFifoQueueAsync(Dictionary<string, string>? attributes = null) =>
        _sqs.CreateQueueAsync($"q{Guid.NewGuid():N}.fifo", Fifo(attributes));

    private OutgoingMessage Entry(string group, string body, string? deduplicationId = null, IReadOnlyDictionary<string, string>? attributes = null) =>
        new($"e{++_entry}", body, group, deduplicationId ?? Guid.NewGuid().ToString("N"), attributes);

    private async Task<SendBatchResult> SendAsync(string queue, params OutgoingMessage[] messages)
    {
        var result = await _sqs.SendMessageBatchAsync(queue, messages);
        result.Failed.Should().BeEmpty();
        return result;
    }

    private static Dictionary<string, string> HighThroughput() => new()
    {
        [QueueAttributeNames.DeduplicationScope] = "messageGroup",
        [QueueAttributeNames.FifoThroughputLimit] = "perMessageGroupId",
    };

    private Task<IReadOnlyList<ReceivedMessage>> ReceiveAttemptAsync(string queue, string attemptId, int maxMessages) =>
        _sqs.ReceiveMessagesAsync(queue, new ReceiveOptions(maxMessages, TimeSpan.Zero) { ReceiveRequestAttemptId = attemptId });

    private Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(string queue) =>
        _sqs.ReceiveMessagesAsync(queue, new ReceiveOptions(10, TimeSpan.Zero));

    private async Task DeleteAllAsync(string queue)
    {
        foreach (var message in await ReceiveAsync(queue))
        {
            await _sqs.DeleteMessageAsync(queue, message.ReceiptHandle);
        }
    }

    private async Task<int> CountAsync(string queue, string name) =>
        int.Parse((await _sqs.GetQueueAttributesAsync(queue, [name]))[name], System.Globalization.CultureInfo.InvariantCulture);

    private async Task<string> ArnAsync(string queue) =>
        (await _sqs.GetQueueAttributesAsync(queue, [QueueAttributeNames.QueueArn]))[QueueAttributeNames.QueueArn];
}
