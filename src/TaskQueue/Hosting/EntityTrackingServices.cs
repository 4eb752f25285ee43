using TaskQueue;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Builds the <see cref="EntityTracking"/> of a container: its ledger and completion handlers, or none without a ledger.</summary>
internal static class EntityTrackingServices
{
    public static EntityTracking? From(IServiceProvider services) =>
        services.GetService<IEntityLedger>() is { } ledger
            ? new EntityTracking(ledger, services.GetServices<IEntityCompletionHandler>())
            : null;
}
