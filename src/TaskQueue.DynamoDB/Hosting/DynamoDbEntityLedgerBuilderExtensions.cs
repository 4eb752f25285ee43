using Amazon.DynamoDBv2;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TaskQueue;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the DynamoDB entity ledger to a <see cref="TaskQueueBuilder"/>.</summary>
public static class DynamoDbEntityLedgerBuilderExtensions
{
    /// <summary>
    /// Tracks entity completion in the DynamoDB table <paramref name="tableName"/> (see
    /// <see cref="TaskQueueBuilder.AddEntityLedger(Func{IServiceProvider, IEntityLedger})"/>). The
    /// <see cref="IAmazonDynamoDB"/> is the container's, else one made from the AWS options as the SQS client is
    /// (<c>AWS_ENDPOINT_URL_DYNAMODB</c> names a local endpoint). The table must exist: create it once with
    /// <see cref="DynamoDbEntityLedger.EnsureTableAsync"/>.
    /// </summary>
    /// <param name="builder">The TaskQueue builder.</param>
    /// <param name="tableName">The ledger's table.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException">The table name is missing or not one DynamoDB allows.</exception>
    public static TaskQueueBuilder AddDynamoDbEntityLedger(this TaskQueueBuilder builder, string tableName) =>
        builder.AddDynamoDbEntityLedger(new DynamoDbEntityLedgerOptions { TableName = tableName });

    /// <summary>Tracks entity completion in DynamoDB as <paramref name="options"/> say; see <see cref="AddDynamoDbEntityLedger(TaskQueueBuilder, string)"/>.</summary>
    /// <param name="builder">The TaskQueue builder.</param>
    /// <param name="options">The ledger's options, checked now.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException">The table name is missing or not one DynamoDB allows.</exception>
    public static TaskQueueBuilder AddDynamoDbEntityLedger(this TaskQueueBuilder builder, DynamoDbEntityLedgerOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var ledgerOptions = new DynamoDbEntityLedgerOptions { TableName = options.TableName };
        // The container disposes the client it made; one registered by the application wins.
        builder.Services.TryAddSingleton(AmazonDynamoDbFactory.Create);
        return builder.AddEntityLedger(services => new DynamoDbEntityLedger(services.GetRequiredService<IAmazonDynamoDB>(), ledgerOptions));
    }
}
