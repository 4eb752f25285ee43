using Amazon.SQS;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TaskQueue;
using TaskQueue.Sqs;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers TaskQueue in a service collection.</summary>
public static class TaskQueueServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="TaskQueueOptions"/> (validated when the host starts), the <see cref="ISqsClient"/>
    /// (an <see cref="AwsSqsClient"/> over the registered <see cref="IAmazonSQS"/>) and the <see cref="TaskQueueHandler"/>.
    /// Add handlers and the worker on the returned builder. Where no <see cref="IAmazonSQS"/> is registered (e.g. by
    /// <c>AddAWSService&lt;IAmazonSQS&gt;()</c>), one is made as that method would: from a registered <c>AWSOptions</c>,
    /// else the "AWS" configuration section, the SDK's credential chain and <c>AWS_ENDPOINT_URL_SQS</c>. Where an
    /// endpoint is given (<c>AWS:ServiceURL</c>, <c>AWS_ENDPOINT_URL_SQS</c> or <c>AWS_ENDPOINT_URL</c>) and no
    /// credentials are found, dummy ones are used, which a local SQS server accepts, and a log line says so.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>A builder for handlers and the worker.</returns>
    public static TaskQueueBuilder AddTaskQueue(this IServiceCollection services, Action<TaskQueueOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return AddTaskQueueCore(services, options => options.Configure(configure));
    }

    /// <summary>Registers TaskQueue with options bound from a configuration section, e.g. <c>configuration.GetSection("TaskQueue")</c>; see the other overload.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The section holding <see cref="TaskQueueOptions"/> values; time spans as <c>hh:mm:ss</c>.</param>
    /// <returns>A builder for handlers and the worker.</returns>
    public static TaskQueueBuilder AddTaskQueue(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return AddTaskQueueCore(services, options => options.Bind(configuration));
    }

    private static TaskQueueBuilder AddTaskQueueCore(IServiceCollection services, Action<OptionsBuilder<TaskQueueOptions>> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<TaskQueueOptions>();
        configure(options);
        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TaskQueueOptions>, TaskQueueOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<TaskQueueHealthCheckOptions>();
        // The container disposes the client it made; one registered by the application wins.
        services.TryAddSingleton(AmazonSqsFactory.Create);
        services.TryAddSingleton<ISqsClient>(sp => new AwsSqsClient(sp.GetRequiredService<IAmazonSQS>()));
        services.TryAddSingleton(sp => new TaskQueueHandler(
            sp.GetRequiredService<ISqsClient>(),
            sp.GetRequiredService<IOptions<TaskQueueOptions>>(),
            sp.GetService<ILogger<TaskQueueHandler>>(),
            sp.GetService<TimeProvider>(),
            EntityTrackingServices.From(sp),
            sp.GetService<IPayloadStore>()));
        return new TaskQueueBuilder(services);
    }
}
