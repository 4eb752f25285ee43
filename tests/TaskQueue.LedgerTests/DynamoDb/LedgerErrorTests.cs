using System.Net;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using FluentAssertions;
using Moq;
using TaskQueue.Sqs;
using TaskQueue.TestSupport;

namespace TaskQueue.LedgerTests.DynamoDb;

/// <summary>Errors no retry can fix say which table and what to do: the worker logs the message on every retry.</summary>
public sealed class LedgerErrorTests
{
    private static readonly TaskFate Fate = new("doc-1", "batch-1", "ocr", 1, EntityTaskState.Completed, 1, null, null, DateTimeOffset.UnixEpoch, TimeSpan.Zero);

    [Fact]
    public async Task A_missing_table_says_to_create_it()
    {
        var table = LocalDynamoDbServer.UniqueTableName("missing");
        var ledger = new DynamoDbEntityLedger(LocalDynamoDbServer.Client, new DynamoDbEntityLedgerOptions { TableName = table });

        var record = () => ledger.RecordAsync(Fate, default);
        var read = () => ledger.GetBatchesAsync("doc-1", default);

        (await record.Should().ThrowAsync<TaskQueueException>()).Which.Message.Should().Be(
            $"entity ledger table '{table}' does not exist (UpdateItem): create it with DynamoDbEntityLedger.EnsureTableAsync (or the taskqueue CLI), or check the table name, region and endpoint.");
        (await read.Should().ThrowAsync<TaskQueueException>()).Which.Message.Should().StartWith($"entity ledger table '{table}' does not exist (Query)");
    }

    [Fact]
    public async Task Rejected_credentials_say_which_to_check()
    {
        var ledger = LedgerFailingWith(new AmazonDynamoDBException("The security token included in the request is invalid.") { ErrorCode = "UnrecognizedClientException", StatusCode = HttpStatusCode.BadRequest });

        var record = () => ledger.RecordAsync(Fate, default);

        (await record.Should().ThrowAsync<TaskQueueException>()).Which.Message.Should().Be(
            "UpdateItem on entity ledger table 'ledger' was refused: the AWS credentials are not valid (UnrecognizedClientException: The security token included in the request is invalid.): check AWS_PROFILE or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, and renew an expired session token.");
    }

    [Fact]
    public async Task Denied_access_names_the_action_to_allow()
    {
        var ledger = LedgerFailingWith(new AmazonDynamoDBException("User is not authorized") { ErrorCode = "AccessDeniedException", StatusCode = HttpStatusCode.BadRequest });

        var claim = () => ledger.TryClaimCompletionAsync("doc-1", "batch-1", 1, "message-1", default);

        (await claim.Should().ThrowAsync<TaskQueueException>()).Which.Message.Should().Be(
            "UpdateItem on entity ledger table 'ledger' was denied (AccessDeniedException: User is not authorized): allow dynamodb:UpdateItem on the table for the credentials in use, or use other credentials.");
    }

    [Fact]
    public async Task Throttling_passes_unchanged_for_the_caller_to_retry()
    {
        var throttled = new ProvisionedThroughputExceededException("Rate exceeded");
        var ledger = LedgerFailingWith(throttled);

        var record = () => ledger.RecordAsync(Fate, default);

        (await record.Should().ThrowAsync<ProvisionedThroughputExceededException>()).Which.Should().BeSameAs(throttled);
    }

    private static DynamoDbEntityLedger LedgerFailingWith(Exception error)
    {
        var dynamoDb = new Mock<IAmazonDynamoDB>();
        dynamoDb.Setup(d => d.UpdateItemAsync(It.IsAny<UpdateItemRequest>(), It.IsAny<CancellationToken>())).ThrowsAsync(error);
        return new DynamoDbEntityLedger(dynamoDb.Object, new DynamoDbEntityLedgerOptions { TableName = "ledger" });
    }
}
