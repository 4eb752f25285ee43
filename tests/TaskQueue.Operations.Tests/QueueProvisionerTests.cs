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
