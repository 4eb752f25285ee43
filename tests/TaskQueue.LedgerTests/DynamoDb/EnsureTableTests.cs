using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using FluentAssertions;
using TaskQueue.Sqs;
using TaskQueue.TestSupport;

namespace TaskQueue.LedgerTests.DynamoDb;

public sealed class EnsureTableTests
{
    private static AmazonDynamoDBClient DynamoDb => LocalDynamoDbServer.Client;

    [Fact]
    public async Task Ensuring_the_table_creates_it_on_demand_with_the_ledger_s_keys_once()
    {
        var table = LocalDynamoDbServer.UniqueTableName("ensure");
        try
        {
            var first = await DynamoDbEntityLedger.EnsureTableAsync(DynamoDb, table);
            var second = await DynamoDbEntityLedger.EnsureTableAsync(DynamoDb, table);

            first.Should().BeTrue();
            second.Should().BeFalse();
            var description = (await DynamoDb.DescribeTableAsync(table)).Table;
            description.TableStatus.Should().Be(TableStatus.ACTIVE);
            description.BillingModeSummary.BillingMode.Should().Be(BillingMode.PAY_PER_REQUEST);
            description.KeySchema.Select(k => (k.AttributeName, k.KeyType.Value)).Should().Equal(("entity_id", "HASH"), ("batch_id", "RANGE"));
        }
        finally
        {
            await DynamoDb.DeleteTableAsync(table);
        }
    }

    [Fact]
    public async Task A_table_of_that_name_with_other_keys_is_a_clear_error()
    {
        var table = LocalDynamoDbServer.UniqueTableName("other-keys");
        await DynamoDb.CreateTableAsync(new CreateTableRequest
        {
            TableName = table,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            KeySchema = [new KeySchemaElement("id", KeyType.HASH)],
            AttributeDefinitions = [new AttributeDefinition("id", ScalarAttributeType.S)],
        });
        try
        {
            var ensure = () => DynamoDbEntityLedger.EnsureTableAsync(DynamoDb, table);

            (await ensure.Should().ThrowAsync<TaskQueueException>()).Which.Message.Should().Be(
                $"table '{table}' exists with keys id (HASH S), not the entity ledger's: partition key entity_id (S) and sort key batch_id (S): use another table name for the ledger.");
        }
        finally
        {
            await DynamoDb.DeleteTableAsync(table);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("ab")]
    [InlineData("ledger table")]
    public async Task A_name_DynamoDB_does_not_allow_is_refused_before_any_request(string table)
    {
        var ensure = () => DynamoDbEntityLedger.EnsureTableAsync(new Moq.Mock<IAmazonDynamoDB>(Moq.MockBehavior.Strict).Object, table);

        (await ensure.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().StartWith("DynamoDbEntityLedgerOptions.TableName");
    }
}
