using System.Text.Json;
using FluentAssertions;
using Moq;
using TaskQueue.Sqs;

namespace TaskQueue.Tests;

/// <summary>EnsureQueuesAsync and ListQueuesAsync on both backends.</summary>
public sealed class QueueProvisionerTests
{
    [Theory]
    [MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public async Task EnsureQueues_NewName_CreatesFifoQueueAndDlqWithRedrivePolicy(string backend)
    {
        var sqs = Backends.Create(backend);
        var definition = new QueueDefinition(UniqueName()) { MaxReceiveCount = 4, VisibilityTimeout = TimeSpan.FromSeconds(45) };

        var queues = await new QueueProvisioner(sqs).EnsureQueuesAsync(definition);
        try
        {
            queues.Created.Should().Equal(definition.EffectiveDeadLetterQueueName, definition.QueueName);
            queues.MatchesDefinition.Should().BeTrue();
            var attributes = await sqs.GetQueueAttributesAsync(queues.QueueUrl, [QueueAttributeNames.All]);
            attributes[QueueAttributeNames.FifoQueue].Should().Be("true");
            attributes[QueueAttributeNames.VisibilityTimeout].Should().Be("45");
            using var policy = JsonDocument.Parse(attributes[QueueAttributeNames.RedrivePolicy]);
            policy.RootElement.GetProperty("deadLetterTargetArn").GetString().Should().EndWith(":" + definition.EffectiveDeadLetterQueueName);
            policy.RootElement.GetProperty("maxReceiveCount").ToString().Should().Be("4");
        }
        finally
        {
            await DeleteAsync(sqs, queues);
        }
    }

    [Theory]
    [MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public async Task EnsureQueues_Twice_CreatesNothingTheSecondTime(string backend)
    {
        var sqs = Backends.Create(backend);
        var definition = new QueueDefinition(UniqueName());
        var first = await new QueueProvisioner(sqs).EnsureQueuesAsync(definition);
        try
        {
            var second = await new QueueProvisioner(sqs).EnsureQueuesAsync(definition);

            second.Created.Should().BeEmpty();
            second.MatchesDefinition.Should().BeTrue(string.Join("; ", second.Differences));
            (second.QueueUrl, second.DeadLetterQueueUrl).Should().Be((first.QueueUrl, first.DeadLetterQueueUrl));
        }
        finally
        {
            await DeleteAsync(sqs, first);
        }
    }

    [Theory]
    [MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public async Task EnsureQueues_ExistingQueueWithOtherAttributes_ReportsTheDifferenceAndChangesNothing(string backend)
    {
        var sqs = Backends.Create(backend);
        var name = UniqueName();
        var first = await new QueueProvisioner(sqs).EnsureQueuesAsync(new QueueDefinition(name) { MaxReceiveCount = 3, VisibilityTimeout = TimeSpan.FromSeconds(30) });
        try
        {
            var second = await new QueueProvisioner(sqs).EnsureQueuesAsync(new QueueDefinition(name) { MaxReceiveCount = 7, VisibilityTimeout = TimeSpan.FromSeconds(90) });

            second.Created.Should().BeEmpty();
            second.Differences.Select(d => (d.QueueName, d.Attribute)).Should().BeEquivalentTo(
                [(name, QueueAttributeNames.VisibilityTimeout), (name, QueueAttributeNames.RedrivePolicy)]);
            second.Differences.Single(d => d.Attribute == QueueAttributeNames.VisibilityTimeout).ToString()
                .Should().Be($"{name}: VisibilityTimeout is 30, expected 90");
            (await sqs.GetQueueAttributesAsync(first.QueueUrl, [QueueAttributeNames.VisibilityTimeout]))[QueueAttributeNames.VisibilityTimeout]
                .Should().Be("30", "an existing queue is never changed");
        }
        finally
        {
            await DeleteAsync(sqs, first);
        }
    }

    [Theory]
    [MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public async Task EnsureQueues_HighThroughput_CreatesBothQueuesWithMessageGroupScopeAndThroughput(string backend)
    {
        var sqs = Backends.Create(backend);
        var definition = new QueueDefinition(UniqueName()) { HighThroughput = true };

        var queues = await new QueueProvisioner(sqs).EnsureQueuesAsync(definition);
        try
        {
            var again = await new QueueProvisioner(sqs).EnsureQueuesAsync(definition);

            foreach (var url in new[] { queues.QueueUrl, queues.DeadLetterQueueUrl })
            {
                var attributes = await sqs.GetQueueAttributesAsync(url, [QueueAttributeNames.All]);
                attributes[QueueAttributeNames.DeduplicationScope].Should().Be("messageGroup");
                attributes[QueueAttributeNames.FifoThroughputLimit].Should().Be("perMessageGroupId");
            }

            again.MatchesDefinition.Should().BeTrue(string.Join("; ", again.Differences));
        }
        finally
        {
            await DeleteAsync(sqs, queues);
        }
    }

    [Theory]
    [MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public async Task EnsureQueues_HighThroughputOverNormalQueues_ReportsBothAttributesOfBothQueues(string backend)
    {
        var sqs = Backends.Create(backend);
        var name = UniqueName();
        var normal = await new QueueProvisioner(sqs).EnsureQueuesAsync(new QueueDefinition(name));
        try
        {
            var high = await new QueueProvisioner(sqs).EnsureQueuesAsync(new QueueDefinition(name) { HighThroughput = true });
            var backToNormal = await new QueueProvisioner(sqs).EnsureQueuesAsync(new QueueDefinition(name));

            high.Differences.Select(d => d.ToString()).Should().BeEquivalentTo(
                $"{name}: DeduplicationScope is queue, expected messageGroup",
                $"{name}: FifoThroughputLimit is perQueue, expected perMessageGroupId",
                $"{normal.Created[0]}: DeduplicationScope is queue, expected messageGroup",
                $"{normal.Created[0]}: FifoThroughputLimit is perQueue, expected perMessageGroupId");
            backToNormal.MatchesDefinition.Should().BeTrue("normal throughput is what a queue has unless told otherwise");
        }
        finally
        {
            await DeleteAsync(sqs, normal);
        }
    }

    [Fact]
    public async Task EnsureQueues_ExistingHighThroughputQueueWithoutTheAttributesReported_DiffersWhileNormalDoesNot()
    {
        // Some servers leave the FIFO attributes out at their defaults: absent reads as queue / perQueue.
        var sqs = new Mock<ISqsClient>();
        sqs.Setup(s => s.GetQueueUrlAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync((string name, CancellationToken _) => "url/" + name);
        sqs.Setup(s => s.GetQueueAttributesAsync(It.IsAny<string>(), It.IsAny<IReadOnlyList<string>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Dictionary<string, string> { [QueueAttributeNames.QueueArn] = "arn:aws:sqs:us-east-1:1:q" });

        var normal = await new QueueProvisioner(sqs.Object).EnsureQueuesAsync(new QueueDefinition("q.fifo"));
        var high = await new QueueProvisioner(sqs.Object).EnsureQueuesAsync(new QueueDefinition("q.fifo") { HighThroughput = true });

        normal.Differences.Select(d => d.Attribute).Should().NotContain([QueueAttributeNames.DeduplicationScope, QueueAttributeNames.FifoThroughputLimit]);
        high.Differences.Where(d => d.Actual is null).Select(d => d.Attribute).Should().Contain(
            [QueueAttributeNames.DeduplicationScope, QueueAttributeNames.FifoThroughputLimit]);
    }

    [Fact]
    public async Task EnsureQueues_NormalThroughputNewQueue_CreatesItWithoutTheThroughputAttributes()
    {
        var sqs = new Mock<ISqsClient>();
        var created = new List<IReadOnlyDictionary<string, string>>();
        sqs.Setup(s => s.GetQueueUrlAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ThrowsAsync(new QueueDoesNotExistException("no queue"));
        sqs.Setup(s => s.CreateQueueAsync(It.IsAny<string>(), It.IsAny<IReadOnlyDictionary<string, string>>(), It.IsAny<CancellationToken>()))
            .Callback((string _, IReadOnlyDictionary<string, string> attributes, CancellationToken _) => created.Add(attributes))
            .ReturnsAsync("url");
        sqs.Setup(s => s.GetQueueAttributesAsync(It.IsAny<string>(), It.IsAny<IReadOnlyList<string>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Dictionary<string, string> { [QueueAttributeNames.QueueArn] = "arn:aws:sqs:us-east-1:1:q" });

        await new QueueProvisioner(sqs.Object).EnsureQueuesAsync(new QueueDefinition("q.fifo"));

        created.Should().HaveCount(2).And.OnlyContain(a =>
            !a.ContainsKey(QueueAttributeNames.DeduplicationScope) && !a.ContainsKey(QueueAttributeNames.FifoThroughputLimit),
            "servers that do not know these attributes must still take a normal queue");
    }

    [Fact]
    public async Task EnsureQueues_InvalidName_ThrowsBeforeAnyRequest()
    {
        var sqs = new Mock<ISqsClient>(MockBehavior.Strict);

        var ensure = () => new QueueProvisioner(sqs.Object).EnsureQueuesAsync(new QueueDefinition("not fifo"));

        await ensure.Should().ThrowAsync<ArgumentException>().WithMessage("*is not a FIFO queue name*");
        sqs.VerifyNoOtherCalls();
    }

    [Theory]
    [MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public async Task ListQueues_Prefix_ReturnsOnlyQueuesWithThatPrefix(string backend)
    {
        var sqs = Backends.Create(backend);
        var name = UniqueName();
        var queues = await new QueueProvisioner(sqs).EnsureQueuesAsync(new QueueDefinition(name));
        try
        {
            var listed = await sqs.ListQueuesAsync(name[..^5]);
            var none = await sqs.ListQueuesAsync("no-such-prefix-" + Guid.NewGuid().ToString("N"));

            listed.Should().BeEquivalentTo([queues.QueueUrl, queues.DeadLetterQueueUrl]);
            none.Should().BeEmpty();
        }
        finally
        {
            await DeleteAsync(sqs, queues);
        }
    }

    private static string UniqueName() => "prov-" + Guid.NewGuid().ToString("N")[..12] + ".fifo";

    private static async Task DeleteAsync(ISqsClient sqs, ProvisionedQueues queues)
    {
        await sqs.DeleteQueueAsync(queues.QueueUrl);
        await sqs.DeleteQueueAsync(queues.DeadLetterQueueUrl);
    }
}
