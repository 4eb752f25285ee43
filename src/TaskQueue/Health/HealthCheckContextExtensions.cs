using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace TaskQueue;

internal static class HealthCheckContextExtensions
{
    /// <summary>The status the registration asks for when the check fails; Unhealthy for a check run without one.</summary>
    public static HealthStatus FailureStatus(this HealthCheckContext context) => context.Registration?.FailureStatus ?? HealthStatus.Unhealthy;
}
