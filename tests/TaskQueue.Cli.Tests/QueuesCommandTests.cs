using FluentAssertions;

namespace TaskQueue.Cli.Tests;

public sealed class QueuesCommandTests
{
    [Fact]
    public async Task QueuesCreate_NewName_CreatesQueueAndDeadLetterQueue()
    {
        await using var queue = await CliQueue.CreateAsync("--max-receive-count", "2");

        var list = await CliRun.RunAsync("queues", "list", "--prefix", queue.Name);

        list.ExitCode.Should().Be(0, list.ToString());
        list.Output.Should().Contain(queue.Name + ".fifo").And.Contain(queue.DeadLetterName);
    }

    [Fact]
    public async Task QueuesCreate_ExistingQueueWithOtherAttributes_PrintsTheDifference()
    {
        await using var queue = await CliQueue.CreateAsync("--visibility-timeout", "30");

        var again = await CliRun.RunAsync("queues", "create", queue.Name, "--visibility-timeout", "60");

        again.ExitCode.Should().Be(0, again.ToString());
        again.Output.Should().Contain($"exists   {queue.Name}.fifo")
            .And.Contain($"differs  {queue.Name}.fifo: VisibilityTimeout is 30, expected 60");
    }

    [Fact]
    public async Task QueuesCreate_HighThroughputOverANormalQueue_PrintsBothThroughputDifferences()
    {
        await using var queue = await CliQueue.CreateAsync();

        var again = await CliRun.RunAsync("queues", "create", queue.Name, "--high-throughput");

        again.ExitCode.Should().Be(0, again.ToString());
        again.Output.Should().Contain($"differs  {queue.Name}.fifo: DeduplicationScope is queue, expected messageGroup")
            .And.Contain($"differs  {queue.Name}.fifo: FifoThroughputLimit is perQueue, expected perMessageGroupId");
    }

    [Fact]
    public async Task QueuesList_Json_PrintsNamesAndUrls()
    {
        await using var queue = await CliQueue.CreateAsync();

        var list = await CliRun.RunAsync("queues", "list", "--prefix", queue.Name, "--json");

        list.ExitCode.Should().Be(0, list.ToString());
        using var json = System.Text.Json.JsonDocument.Parse(list.Output);
        json.RootElement.EnumerateArray().Select(q => q.GetProperty("name").GetString())
            .Should().BeEquivalentTo([queue.Name + ".fifo", queue.DeadLetterName]);
    }
}
