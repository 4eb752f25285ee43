using Amazon.DynamoDBv2;
using Amazon.Extensions.NETCore.Setup;
using Amazon.Runtime;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using TaskQueue.LedgerTests.Backends;
using TaskQueue.TestSupport;

namespace TaskQueue.LedgerTests.DynamoDb;

public sealed class DynamoDbLedgerHostingTests(DynamoDbLedgerTable table) : IClassFixture<DynamoDbLedgerTable>
{
    [Fact]
    public async Task The_ledger_uses_the_container_s_DynamoDB_client()
    {
        var services = new ServiceCollection().AddSingleton<IAmazonDynamoDB>(LocalDynamoDbServer.CreateClient());
        services.AddTaskQueue(options => options.QueueUrl = "http://127.0.0.1/000000000000/documents.fifo").AddDynamoDbEntityLedger(table.Name);
        await using var provider = services.BuildServiceProvider();

        await WritesAndReadsAsync(provider.GetRequiredService<IEntityLedger>());
    }

    [Fact]
    public async Task Without_a_registered_client_one_is_made_from_the_AWS_options()
    {
        var aws = new AWSOptions { Credentials = new BasicAWSCredentials("test", "test"), Region = Amazon.RegionEndpoint.USEast1 };
        aws.DefaultClientConfig.ServiceURL = LocalDynamoDbServer.Endpoint.ToString();
        var services = new ServiceCollection().AddSingleton(aws);
        services.AddTaskQueue(options => options.QueueUrl = "http://127.0.0.1/000000000000/documents.fifo")
            .AddDynamoDbEntityLedger(new DynamoDbEntityLedgerOptions { TableName = table.Name });
        await using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IEntityLedger>().Should().BeOfType<DynamoDbEntityLedger>().Which.TableName.Should().Be(table.Name);
        await WritesAndReadsAsync(provider.GetRequiredService<IEntityLedger>());
    }

    [Fact]
    public void A_missing_table_name_is_refused_when_registered()
    {
        var register = () => new ServiceCollection().AddTaskQueue(options => options.QueueUrl = "q").AddDynamoDbEntityLedger(" ");

        register.Should().Throw<ArgumentException>().Which.Message.Should().StartWith(
            "DynamoDbEntityLedgerOptions.TableName is required: set it to the entity ledger's DynamoDB table name.");
    }

    private static async Task WritesAndReadsAsync(IEntityLedger ledger)
    {
        var entity = "doc-" + Guid.NewGuid().ToString("N");
        await ledger.OpenBatchAsync(entity, "batch-1", ["ocr"], DateTimeOffset.UnixEpoch, default);
        (await ledger.GetBatchesAsync(entity, default)).Should().ContainSingle().Which.Tasks.Should().ContainSingle().Which.TaskName.Should().Be("ocr");
    }
}
