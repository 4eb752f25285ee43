using System.Text.Json;
using FluentAssertions;
using Microsoft.Extensions.Options;
using TaskQueue.TestSupport;

namespace TaskQueue.Cli.Tests;

/// <summary>The CLI with large task bodies: a config read from a file and stored in S3, run by <c>work</c>, shown by <c>dlq peek</c>.</summary>
public sealed class LargePayloadCommandTests : IDisposable
{
    private readonly string _configFile = Path.Combine(Path.GetTempPath(), $"taskqueue-config-{Guid.NewGuid():N}.json");

    public void Dispose() => File.Delete(_configFile);

    [Fact]
    public async Task EnqueueConfigFileOverTheMessageLimit_IsStoredInTheBucket_AndWorkRunsIt()
    {
        await using var queue = await CliQueue.CreateAsync();
        var bucket = await LocalS3Server.CreateBucketAsync("cli");
        await File.WriteAllTextAsync(_configFile, JsonSerializer.Serialize(new { seconds = 0, blob = new string('x', 1_200_000) }));

        var enqueue = await CliRun.RunAsync("enqueue", queue.Name, "doc-big", "sleep", "--config-file", _configFile, "--payload-bucket", bucket);
        var stored = await LocalS3Server.SdkClient.ListObjectsV2Async(new() { BucketName = bucket });
        var work = await CliRun.RunAsync("work", queue.Name, "--max-tasks", "1");
        var left = await LocalS3Server.SdkClient.ListObjectsV2Async(new() { BucketName = bucket });

        enqueue.ExitCode.Should().Be(0, enqueue.ToString());
        stored.S3Objects.Should().ContainSingle().Which.Size.Should().BeGreaterThan(1_200_000);
        work.ExitCode.Should().Be(0, work.ToString());
        work.Output.Should().Contain("doc-big");
        (left.S3Objects ?? []).Should().BeEmpty("the body is deleted after its message");
    }

    [Fact]
    public async Task EnqueueConfigFile_Missing_OrWithConfig_IsAUsageError()
    {
        var missing = await CliRun.RunAsync("enqueue", "any-queue", "doc-1", "echo", "--config-file", _configFile);
        await File.WriteAllTextAsync(_configFile, "{}");
        var both = await CliRun.RunAsync("enqueue", "any-queue", "doc-1", "echo", "--config-file", _configFile, "--config", "{}");

        missing.ExitCode.Should().Be(2, missing.ToString());
        missing.ErrorLines.Should().ContainSingle().Which.Should().Contain("--config-file").And.Contain("cannot be read");
        both.ExitCode.Should().Be(2, both.ToString());
        both.Error.Should().Contain("not both");
    }

    [Fact]
    public async Task DlqPeek_PointerDeadLetter_ShowsTheTaskAndWhereItsBodyIs()
    {
        await using var queue = await CliQueue.CreateAsync();
        var bucket = await LocalS3Server.CreateBucketAsync("clipeek");
        var sqs = LocalSqsServer.CreateClient();
        var options = new TaskQueueOptions { QueueUrl = await sqs.GetQueueUrlAsync(queue.DeadLetterName) };
        options.LargePayloads.Bucket = bucket;
        options.LargePayloads.Threshold = 0;
        await new TaskQueueHandler(sqs, Options.Create(options), payloadStore: new S3PayloadStore(LocalS3Server.SdkClient))
            .EnqueueTasksAsync("doc-dead", [new TaskSpec("ocr")]);

        var table = await CliRun.RunAsync("dlq", "peek", queue.Name);
        var json = await CliRun.RunAsync("dlq", "peek", queue.Name, "--json");

        table.ExitCode.Should().Be(0, table.ToString());
        table.Output.Should().Contain("doc-dead").And.Contain("ocr").And.Contain($"body stored in s3://{bucket}/");
        using var letters = JsonDocument.Parse(json.Output);
        letters.RootElement.EnumerateArray().Single().GetProperty("payload").GetString().Should().StartWith($"s3://{bucket}/");
    }
}
