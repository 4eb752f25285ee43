using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace TaskQueue.Cli.Infrastructure;

/// <summary>The entity ledger in a DynamoDB table, reached by <c>--dynamodb-endpoint</c> (or the SDK's variables) and <c>--region</c>.</summary>
internal static class LedgerTables
{
    /// <summary>
    /// Opens the ledger after checking that its table exists: a worker must not start on a missing table, whose every
    /// task would fail to be recorded and come back. A missing table is one line naming the command that creates it.
    /// </summary>
    public static async Task<IEntityLedger> OpenAsync(LedgerAddress address, CancellationToken cancellationToken)
    {
        var (dynamoDb, endpoint) = Connect(address);
        try
        {
            await dynamoDb.DescribeTableAsync(new DescribeTableRequest { TableName = address.Table }, cancellationToken).ConfigureAwait(false);
        }
        catch (ResourceNotFoundException)
        {
            throw address.Missing();
        }
        catch (Exception ex) when (AwsEndpoint.NetworkFault(ex) is { } fault && !cancellationToken.IsCancellationRequested)
        {
            throw Unreachable(endpoint, fault);
        }

        return new DynamoDbEntityLedger(dynamoDb, new DynamoDbEntityLedgerOptions { TableName = address.Table });
    }

    /// <summary>Creates the ledger's table unless it exists (idempotent); true when this call created it.</summary>
    public static async Task<bool> CreateAsync(LedgerAddress address, CancellationToken cancellationToken)
    {
        var (dynamoDb, endpoint) = Connect(address);
        try
        {
            return await DynamoDbEntityLedger.EnsureTableAsync(dynamoDb, address.Table, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (AwsEndpoint.NetworkFault(ex) is { } fault && !cancellationToken.IsCancellationRequested)
        {
            throw Unreachable(endpoint, fault);
        }
    }

    /// <summary>The client, which lives as long as the command: the process runs one.</summary>
    private static (AmazonDynamoDBClient Client, Uri? Endpoint) Connect(LedgerAddress address)
    {
        // An endpoint from the environment is one given explicitly too: a local server, with dummy credentials when none are set.
        var endpoint = AwsEndpoint.Effective(address.Endpoint, "AWS_ENDPOINT_URL_DYNAMODB");
        var config = new AmazonDynamoDBConfig();
        var credentials = AwsEndpoint.Configure(config, endpoint, address.Region);
        return (credentials is null ? new AmazonDynamoDBClient(config) : new AmazonDynamoDBClient(credentials, config), endpoint);
    }

    private static CommandFailedException Unreachable(Uri? endpoint, Exception fault) =>
        new($"cannot reach {endpoint?.ToString() ?? "DynamoDB"}: check --dynamodb-endpoint (or AWS_ENDPOINT_URL_DYNAMODB), --region and that the server is up ({Output.SingleLine(fault.Message)})");
}
