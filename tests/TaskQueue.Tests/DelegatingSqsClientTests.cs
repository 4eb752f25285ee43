using FluentAssertions;
using Moq;
using TaskQueue.Sqs;
using TaskQueue.Testing;

namespace TaskQueue.Tests;

public class DelegatingSqsClientTests
{
    private sealed class PassingOn(ISqsClient inner) : DelegatingSqsClient(inner);

    [Fact]
    public async Task EveryCall_NotOverridden_GoesToTheInnerClientWithItsArguments()
    {
        var inner = new Mock<ISqsClient>(MockBehavior.Strict);
        using var cancel = new CancellationTokenSource();
        var token = cancel.Token;
        var batch = new BatchResult(["0"], []);
        var options = new ReceiveOptions(10, TimeSpan.FromSeconds(2));
        IReadOnlyList<OutgoingMessage> outgoing = [new OutgoingMessage("0", "{}")];
        IReadOnlyList<ReceiptEntry> receipts = [new ReceiptEntry("0", "r")];
        IReadOnlyList<VisibilityChangeEntry> changes = [new VisibilityChangeEntry("0", "r", TimeSpan.Zero)];
        IReadOnlyList<string> names = ["All"];
        IReadOnlyDictionary<string, string> attributes = new Dictionary<string, string> { ["a"] = "b" };
        inner.Setup(s => s.SendMessageBatchAsync("q", outgoing, token)).ReturnsAsync(new SendBatchResult([], []));
        inner.Setup(s => s.ReceiveMessagesAsync("q", options, token)).ReturnsAsync([]);
        inner.Setup(s => s.DeleteMessageAsync("q", "r", token)).Returns(Task.CompletedTask);
        inner.Setup(s => s.DeleteMessageBatchAsync("q", receipts, token)).ReturnsAsync(batch);
        inner.Setup(s => s.ChangeMessageVisibilityAsync("q", "r", TimeSpan.FromSeconds(3), token)).Returns(Task.CompletedTask);
        inner.Setup(s => s.ChangeMessageVisibilityBatchAsync("q", changes, token)).ReturnsAsync(batch);
        inner.Setup(s => s.GetQueueAttributesAsync("q", names, token)).ReturnsAsync(attributes);
        inner.Setup(s => s.GetQueueUrlAsync("name", token)).ReturnsAsync("q");
        inner.Setup(s => s.CreateQueueAsync("name", attributes, token)).ReturnsAsync("q");
        inner.Setup(s => s.DeleteQueueAsync("q", token)).Returns(Task.CompletedTask);
        inner.Setup(s => s.ListQueuesAsync("pre", token)).ReturnsAsync(["q"]);
        ISqsClient client = new PassingOn(inner.Object);

        await client.SendMessageBatchAsync("q", outgoing, token);
        await client.ReceiveMessagesAsync("q", options, token);
        await client.DeleteMessageAsync("q", "r", token);
        (await client.DeleteMessageBatchAsync("q", receipts, token)).Should().BeSameAs(batch);
        await client.ChangeMessageVisibilityAsync("q", "r", TimeSpan.FromSeconds(3), token);
        (await client.ChangeMessageVisibilityBatchAsync("q", changes, token)).Should().BeSameAs(batch);
        (await client.GetQueueAttributesAsync("q", names, token)).Should().BeSameAs(attributes);
        (await client.GetQueueUrlAsync("name", token)).Should().Be("q");
        (await client.CreateQueueAsync("name", attributes, token)).Should().Be("q");
        await client.DeleteQueueAsync("q", token);
        (await client.ListQueuesAsync("pre", token)).Should().Equal("q");

        inner.VerifyAll();
    }

    [Fact]
    public void Create_WithoutAnInnerClient_NamesIt()
    {
        var create = () => new PassingOn(null!);

        create.Should().Throw<ArgumentNullException>().WithParameterName("inner");
    }
}
