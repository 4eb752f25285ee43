using Amazon.SQS;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TaskQueue;
using OptionsNames = Microsoft.Extensions.Options.Options;
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
        return AddTaskQueueCore(services, OptionsNames.DefaultName, options => options.Configure(configure));
    }

    /// <summary>Registers TaskQueue with options bound from a configuration section, e.g. <c>configuration.GetSection("TaskQueue")</c>; see the other overload.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The section holding <see cref="TaskQueueOptions"/> values; time spans as <c>hh:mm:ss</c>.</param>
    /// <returns>A builder for handlers and the worker.</returns>
    public static TaskQueueBuilder AddTaskQueue(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return AddTaskQueueCore(services, OptionsNames.DefaultName, options => options.Bind(configuration));
    }

    /// <summary>
    /// Registers a named queue beside others in one host: its <see cref="TaskQueueOptions"/> are named options
    /// (<c>IOptionsMonitor&lt;TaskQueueOptions&gt;.Get(name)</c>, validated when the host starts), its
    /// <see cref="TaskQueueHandler"/> a keyed singleton (<c>[FromKeyedServices("orders")] TaskQueueHandler</c>). Handlers,
    /// limits and the worker added on the returned builder belong to this queue only. The SQS client, the entity ledger,
    /// completion handlers and payload store are the host's, shared by all its queues.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The queue's name, unique in the host, e.g. <c>orders</c>.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>A builder for this queue's handlers and worker.</returns>
    public static TaskQueueBuilder AddTaskQueue(this IServiceCollection services, string name, Action<TaskQueueOptions> configure)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);
        return AddTaskQueueCore(services, name, options => options.Configure(configure));
    }

    /// <summary>Registers a named queue with options bound from a configuration section; see the other overload.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The queue's name, unique in the host, e.g. <c>orders</c>.</param>
    /// <param name="configuration">The section holding this queue's <see cref="TaskQueueOptions"/> values.</param>
    /// <returns>A builder for this queue's handlers and worker.</returns>
    public static TaskQueueBuilder AddTaskQueue(this IServiceCollection services, string name, IConfiguration configuration)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configuration);
        return AddTaskQueueCore(services, name, options => options.Bind(configuration));
    }

    /// <summary>
    /// Shares receiving between the workers of this host by <paramref name="mode"/>, using each worker's
    /// <see cref="TaskQueueWorkerOptions.Priority"/> or <see cref="TaskQueueWorkerOptions.Weight"/>. Without it every worker
    /// receives on its own, as a lone worker does.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="mode">Strict priority, or shares by weight.</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddTaskQueuePriority(this IServiceCollection services, QueuePriority mode)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (!Enum.IsDefined(mode))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, $"QueuePriority {mode} is not one of {string.Join(", ", Enum.GetNames<QueuePriority>())}.");
        }

        services.RemoveAll<ReceiveScheduler>();
        services.AddSingleton(new ReceiveScheduler(mode));
        return services;
    }

    private static TaskQueueBuilder AddTaskQueueCore(IServiceCollection services, string name, Action<OptionsBuilder<TaskQueueOptions>> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<TaskQueueOptions>(name);
        configure(options);
        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TaskQueueOptions>, TaskQueueOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<TaskQueueHealthCheckOptions>();
        // The container disposes the client it made; one registered by the application wins.
        services.TryAddSingleton(AmazonSqsFactory.Create);
        services.TryAddSingleton<ISqsClient>(sp => new AwsSqsClient(sp.GetRequiredService<IAmazonSQS>()));
        if (name == OptionsNames.DefaultName)
        {
            services.TryAddSingleton(sp => CreateHandler(sp, name));
        }
        else
        {
            services.TryAddKeyedSingleton(name, (sp, _) => CreateHandler(sp, name));
        }

        return new TaskQueueBuilder(services, name);
    }

    private static TaskQueueHandler CreateHandler(IServiceProvider sp, string name) => new(
        sp.GetRequiredService<ISqsClient>(),
        OptionsNames.Create(sp.GetRequiredService<IOptionsMonitor<TaskQueueOptions>>().Get(name)),
        sp.GetService<ILogger<TaskQueueHandler>>(),
        sp.GetService<TimeProvider>(),
        EntityTrackingServices.From(sp),
        sp.GetService<IPayloadStore>());
}
