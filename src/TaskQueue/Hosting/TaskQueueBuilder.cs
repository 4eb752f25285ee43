using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TaskQueue.Configuration;
using TaskQueue.Messages;
using TaskQueue.Processing;
using TaskQueue.Routing;
using TaskQueue.Sqs;
using TaskQueue.Worker;

namespace TaskQueue.Hosting;

/// <summary>Adds task handlers and the worker to a service collection after <c>AddTaskQueue</c>.</summary>
public sealed class TaskQueueBuilder
{
    internal TaskQueueBuilder(IServiceCollection services) => Services = services;

    /// <summary>The service collection being configured.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Registers <typeparamref name="THandler"/> (scoped: one instance per message) for the tasks named <paramref name="taskName"/>.</summary>
    /// <typeparam name="THandler">The handler type.</typeparam>
    /// <param name="taskName">The task name it handles.</param>
    /// <returns>This builder.</returns>
    public TaskQueueBuilder AddHandler<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler>(string taskName)
        where THandler : class, ITaskHandler
    {
        Services.TryAddScoped<THandler>();
        return AddHandler(taskName, (services, task, context) => services.GetRequiredService<THandler>().HandleAsync(task, context));
    }

    /// <summary>Registers a delegate for the tasks named <paramref name="taskName"/>; it gets the services of the message's scope.</summary>
    /// <param name="taskName">The task name it handles.</param>
    /// <param name="handler">Runs one task.</param>
    /// <returns>This builder.</returns>
    public TaskQueueBuilder AddHandler(string taskName, Func<IServiceProvider, TaskMessage, TaskContext, Task> handler)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(taskName);
        ArgumentNullException.ThrowIfNull(handler);
        Services.AddSingleton(new TaskHandlerRegistration(taskName, handler));
        return this;
    }

    /// <summary>Runs a <see cref="TaskQueueWorker"/> as a hosted service, routing each task to its registered handler.</summary>
    /// <param name="configure">Sets concurrency, polling, batching and shutdown; validated when the host starts.</param>
    /// <returns>This builder.</returns>
    public TaskQueueBuilder AddWorker(Action<TaskQueueWorkerOptions>? configure = null)
    {
        var options = Services.AddOptions<TaskQueueWorkerOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TaskQueueWorkerOptions>, TaskQueueWorkerOptionsValidator>());
        Services.TryAddSingleton<TaskRouter>();
        Services.TryAddSingleton(sp =>
        {
            var router = sp.GetRequiredService<TaskRouter>();
            return new TaskQueueWorker(
                sp.GetRequiredService<ISqsClient>(),
                sp.GetRequiredService<IOptions<TaskQueueOptions>>(),
                sp.GetRequiredService<IOptions<TaskQueueWorkerOptions>>(),
                router.RouteAsync,
                sp.GetService<ILogger<TaskQueueWorker>>(),
                sp.GetService<TimeProvider>());
        });
        Services.AddHostedService<TaskQueueWorkerService>();
        return this;
    }
}
