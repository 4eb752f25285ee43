using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using FluentAssertions;
using Moq;

namespace TaskQueue.LedgerTests.DynamoDb;

/// <summary>DynamoDB takes at most 4 KB of update expression, a limit local servers do not enforce: checked on the requests.</summary>
public sealed class OpenBatchWriteTests
{
    private const int MaxExpressionLength = 4096;

    [Fact]
    public async Task A_large_batch_is_opened_in_writes_that_each_fit_DynamoDB_s_expression_limit_and_together_name_every_task()
    {
        var requests = new List<UpdateItemRequest>();
        var dynamoDb = new Mock<IAmazonDynamoDB>();
        dynamoDb.Setup(d => d.UpdateItemAsync(Capture.In(requests), It.IsAny<CancellationToken>())).ReturnsAsync(new UpdateItemResponse
        {
            Attributes = new() { ["entity_id"] = new AttributeValue { S = "doc-1" }, ["batch_id"] = new AttributeValue { S = "batch-1" } },
        });
        var ledger = new DynamoDbEntityLedger(dynamoDb.Object, new DynamoDbEntityLedgerOptions { TableName = "ledger" });
        var names = Enumerable.Range(0, 1000).Select(i => $"task-{i:D4}").ToList();

        await ledger.OpenBatchAsync("doc-1", "batch-1", names, DateTimeOffset.UnixEpoch, default);

        requests.Should().HaveCountGreaterThan(1).And.OnlyContain(r => r.UpdateExpression.Length <= MaxExpressionLength);
        requests.SelectMany(r => r.ExpressionAttributeNames.Values).Where(n => n.StartsWith("t:", StringComparison.Ordinal))
            .Should().BeEquivalentTo(names.Select(n => "t:" + n));
        requests.Should().OnlyContain(r => r.ExpressionAttributeValues[":total"].N == "1000");
    }
}
