using Amazon;
using Amazon.SQS;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TaskQueue.Configuration;
using TaskQueue.Sqs;

namespace TaskQueue.Hosting;

/// <summary>Registers TaskQueue in a service collection.</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="TaskQueueOptions"/> (validated when the host starts), the <see cref="ISqsClient"/>
    /// (an <see cref="AwsSqsClient"/> over a registered <see cref="IAmazonSQS"/>, or one made from the SDK's
    /// defaults and <see cref="TaskQueueOptions.ServiceUrl"/>/<see cref="TaskQueueOptions.Region"/>) and the
    /// <see cref="TaskQueueHandler"/>. Add handlers and the worker on the returned builder.
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
        services.AddOptions<Health.TaskQueueHealthCheckOptions>();
        // Registered as a service so the container disposes the client it made; one registered by the application wins.
        services.TryAddSingleton<IAmazonSQS>(sp => CreateAmazonSqs(sp.GetRequiredService<IOptions<TaskQueueOptions>>().Value));
        services.TryAddSingleton<ISqsClient>(sp => new AwsSqsClient(sp.GetRequiredService<IAmazonSQS>()));
        services.TryAddSingleton(sp => new TaskQueueHandler(
            sp.GetRequiredService<ISqsClient>(),
            sp.GetRequiredService<IOptions<TaskQueueOptions>>(),
            sp.GetService<ILogger<TaskQueueHandler>>(),
            sp.GetService<TimeProvider>()));
        return new TaskQueueBuilder(services);
    }

    private static AmazonSQSClient CreateAmazonSqs(TaskQueueOptions options)
    {
        var config = new AmazonSQSConfig();
        if (!string.IsNullOrWhiteSpace(options.Region))
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
        }

        if (!string.IsNullOrWhiteSpace(options.ServiceUrl))
        {
            config.ServiceURL = options.ServiceUrl;
            config.AuthenticationRegion = options.Region ?? "us-east-1";
        }

        return new AmazonSQSClient(config);
    }
}
