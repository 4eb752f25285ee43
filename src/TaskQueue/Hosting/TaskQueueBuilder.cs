using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TaskQueue;
using OptionsNames = Microsoft.Extensions.Options.Options;
using TaskQueue.Sqs;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds task handlers and the worker to a service collection after <c>AddTaskQueue</c>.</summary>
public sealed class TaskQueueBuilder
{
    internal TaskQueueBuilder(IServiceCollection services, string name = "")
    {
        Services = services;
        Name = name;
    }

    /// <summary>The service collection being configured.</summary>
    public IServiceCollection Services { get; }

    /// <summary>
    /// The queue's name (<c>AddTaskQueue(name, ...)</c>); <see cref="OptionsNames.DefaultName"/> (<c>""</c>) for the unnamed
    /// queue. Handlers, limits and the worker added on this builder belong to this queue only.
    /// </summary>
    public string Name { get; }

    /// <summary>Registers <typeparamref name="THandler"/> (scoped: one instance per message) for the tasks named <paramref name="taskName"/>.</summary>
    /// <typeparam name="THandler">The handler type.</typeparam>
    /// <param name="taskName">The task name it handles.</param>
    /// <param name="timeout">How long a run may take: then the task's token is cancelled and the run fails with a <see cref="TimeoutException"/>, retried as any failure. Null for no limit.</param>
    /// <returns>This builder.</returns>
    public TaskQueueBuilder AddHandler<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler>(string taskName, TimeSpan? timeout = null)
        where THandler : class, ITaskHandler
    {
        Services.TryAddScoped<THandler>();
        return AddHandler(taskName, (services, task, context) => services.GetRequiredService<THandler>().HandleAsync(task, context), timeout);
    }

    /// <summary>
    /// Registers <typeparamref name="THandler"/> (scoped: one instance per message) for the tasks named <paramref name="taskName"/>,
    /// their config read into <typeparamref name="TConfig"/> with source-generated JSON metadata. A task whose config does
    /// not bind goes to the dead-letter queue with the reason, without running.
    /// </summary>
    /// <typeparam name="THandler">The handler type.</typeparam>
    /// <typeparam name="TConfig">The config type.</typeparam>
    /// <param name="taskName">The task name it handles.</param>
    /// <param name="configType">The JSON metadata of the config type, e.g. <c>MyJsonContext.Default.OcrConfig</c>.</param>
    /// <param name="timeout">How long a run may take (see <see cref="AddHandler{THandler}(string, TimeSpan?)"/>); null for no limit.</param>
    /// <returns>This builder.</returns>
    public TaskQueueBuilder AddHandler<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler, TConfig>(string taskName, JsonTypeInfo<TConfig> configType, TimeSpan? timeout = null)
        where THandler : class, ITaskHandler<TConfig>
    {
        Services.TryAddScoped<THandler>();
        return AddHandler(taskName, TaskConfigBinding.Handle<THandler, TConfig>(configType), timeout);
    }

    /// <summary>Registers a typed handler whose config metadata comes from a source-generated <see cref="JsonSerializerContext"/>; see <see cref="AddHandler{THandler, TConfig}(string, JsonTypeInfo{TConfig}, TimeSpan?)"/>.</summary>
    /// <typeparam name="THandler">The handler type.</typeparam>
    /// <typeparam name="TConfig">The config type.</typeparam>
    /// <param name="taskName">The task name it handles.</param>
    /// <param name="context">A context with <c>[JsonSerializable(typeof(TConfig))]</c>, e.g. <c>MyJsonContext.Default</c>.</param>
    /// <param name="timeout">How long a run may take; null for no limit.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">The context has no metadata for <typeparamref name="TConfig"/>.</exception>
    public TaskQueueBuilder AddHandler<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler, TConfig>(string taskName, JsonSerializerContext context, TimeSpan? timeout = null)
        where THandler : class, ITaskHandler<TConfig> =>
        AddHandler<THandler, TConfig>(taskName, TaskConfigBinding.TypeInfo<TConfig>(context), timeout);

    /// <summary>
    /// Registers a typed handler whose config is read with reflection-based JSON and System.Text.Json's default options;
    /// see <see cref="AddHandler{THandler, TConfig}(string, JsonTypeInfo{TConfig}, TimeSpan?)"/>, which trimmed and
    /// Native AOT applications use instead.
    /// </summary>
    /// <typeparam name="THandler">The handler type.</typeparam>
    /// <typeparam name="TConfig">The config type.</typeparam>
    /// <param name="taskName">The task name it handles.</param>
    /// <param name="timeout">How long a run may take; null for no limit.</param>
    /// <returns>This builder.</returns>
    [RequiresUnreferencedCode("Reflection-based JSON may need types the trimmer removes: pass a JsonTypeInfo or JsonSerializerContext instead.")]
    [RequiresDynamicCode("Reflection-based JSON generates code at run time: pass a JsonTypeInfo or JsonSerializerContext instead.")]
    public TaskQueueBuilder AddHandler<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler, TConfig>(string taskName, TimeSpan? timeout = null)
        where THandler : class, ITaskHandler<TConfig> =>
        AddHandler<THandler, TConfig>(taskName, TaskConfigBinding.ReflectionTypeInfo<TConfig>(), timeout);

    /// <summary>Registers a delegate for the tasks named <paramref name="taskName"/>; it gets the services of the message's scope.</summary>
    /// <param name="taskName">The task name it handles.</param>
    /// <param name="handler">Runs one task; returning completes it, throwing fails it.</param>
    /// <param name="timeout">How long a run may take; null for no limit.</param>
    /// <returns>This builder.</returns>
    public TaskQueueBuilder AddHandler(string taskName, Func<IServiceProvider, TaskMessage, TaskContext, Task> handler, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return AddHandler(
            taskName,
            (services, task, context) => CompletedOutcome.After(handler(services, task, context)),
            timeout);
    }

    /// <summary>Registers a delegate that chooses its task's <see cref="TaskOutcome"/>; it gets the services of the message's scope.</summary>
    /// <param name="taskName">The task name it handles.</param>
    /// <param name="handler">Runs one task and says what becomes of it.</param>
    /// <param name="timeout">How long a run may take; null for no limit.</param>
    /// <returns>This builder.</returns>
    public TaskQueueBuilder AddHandler(string taskName, Func<IServiceProvider, TaskMessage, TaskContext, Task<TaskOutcome>> handler, TimeSpan? timeout = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(taskName);
        ArgumentNullException.ThrowIfNull(handler);
        if (timeout is { } limit)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(limit, TimeSpan.Zero, nameof(timeout));
        }

        // One registration per task name, all of one type: TryAddEnumerable would keep only the first.
        Services.AddSingleton(new TaskHandlerRegistration(taskName, handler, timeout, Name));
        return this;
    }

    /// <summary>
    /// Sends a task whose handler throws <typeparamref name="TException"/> (or a type derived from it) to the dead-letter
    /// queue at once, with the exception as its reason, instead of retrying it; see <see cref="TaskQueueOptions.NonRetryableExceptions"/>.
    /// </summary>
    /// <typeparam name="TException">An exception no retry can fix.</typeparam>
    /// <returns>This builder.</returns>
    public TaskQueueBuilder AddNonRetryable<TException>()
        where TException : Exception
    {
        Services.Configure<TaskQueueOptions>(Name, options => options.NonRetryableExceptions.Add(typeof(TException)));
        return this;
    }

    /// <summary>
    /// Tracks entity completion in <typeparamref name="TLedger"/> (a singleton): enqueue records each batch, the worker
    /// records each task's fate before deleting its message and announces each completed batch once to the
    /// <see cref="IEntityCompletionHandler"/>s, and <see cref="TaskQueueHandler.GetEntityStatusAsync"/> reads it.
    /// Without a ledger nothing is recorded and no request is made.
    /// </summary>
    /// <typeparam name="TLedger">The ledger type.</typeparam>
    /// <returns>This builder.</returns>
    public TaskQueueBuilder AddEntityLedger<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TLedger>()
        where TLedger : class, IEntityLedger
    {
        Services.AddSingleton<IEntityLedger, TLedger>();
        return this;
    }

    /// <summary>Tracks entity completion in the ledger <paramref name="factory"/> makes (a singleton); see <see cref="AddEntityLedger{TLedger}()"/>.</summary>
    /// <param name="factory">Makes the ledger from the container's services.</param>
    /// <returns>This builder.</returns>
    public TaskQueueBuilder AddEntityLedger(Func<IServiceProvider, IEntityLedger> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Services.AddSingleton(factory);
        return this;
    }

    /// <summary>
    /// Tells <typeparamref name="THandler"/> (a singleton) when an entity's batch completes, once across all workers, and
    /// when one of its tasks is dead-lettered. Needs a ledger (<see cref="AddEntityLedger{TLedger}()"/>).
    /// </summary>
    /// <typeparam name="THandler">The handler type.</typeparam>
    /// <returns>This builder.</returns>
    public TaskQueueBuilder AddEntityCompletionHandler<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler>()
        where THandler : class, IEntityCompletionHandler
    {
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<IEntityCompletionHandler, THandler>());
        return this;
    }

    /// <summary>
    /// Announces entity events on the SNS FIFO topic <paramref name="topicArn"/> (a <see cref="SnsEntityEventPublisher"/>,
    /// registered as a completion handler): <c>entity.completed</c> and <c>task.dead_lettered</c>, grouped by entity,
    /// for other services to subscribe to with their own queue (<see cref="EntityEventTopic.SubscribeQueueAsync"/>).
    /// Credentials and endpoint come from the registered <c>AWSOptions</c>, else the "AWS" configuration section, as for
    /// SQS, with <c>AWS_ENDPOINT_URL_SNS</c>. Needs a ledger (<see cref="AddEntityLedger{TLedger}()"/>).
    /// </summary>
    /// <param name="topicArn">The FIFO topic's ARN (see <see cref="EntityEventTopic.EnsureTopicAsync"/>).</param>
    /// <param name="events">Which events to publish; both by default.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="topicArn"/> is not the ARN of a FIFO topic.</exception>
    public TaskQueueBuilder PublishEntityEventsToSns(string topicArn, EntityEvents events = EntityEvents.All)
    {
        var topic = SnsTopicArn.ParseFifo(topicArn, nameof(topicArn));
        // Added, not tried: publishing to two topics registers two publishers.
        Services.AddSingleton<IEntityCompletionHandler>(sp => new SnsEntityEventPublisher(topic, t => SnsClientFactory.Create(sp, t.Region), events));
        return this;
    }

    /// <summary>
    /// Limits the tasks named <paramref name="taskName"/> in the worker: how many run at once and how many start per period
    /// (<see cref="TaskQueueWorkerOptions.TaskLimits"/>, checked when the host starts). A task waiting for its permit holds
    /// up only the later tasks of its own message group, keeping their order; other groups and task names go on.
    /// </summary>
    /// <param name="taskName">The task name to limit.</param>
    /// <param name="maxConcurrency">Most of its tasks running at once in this worker, 1 to 1,000; null for no limit of its own.</param>
    /// <param name="rateLimit">Most starts in any window of <paramref name="ratePeriod"/> in this worker, 1 to 1,000,000; null for none.</param>
    /// <param name="ratePeriod">The period of <paramref name="rateLimit"/>; 1 second when null.</param>
    /// <returns>This builder.</returns>
    public TaskQueueBuilder AddTaskLimit(string taskName, int? maxConcurrency = null, int? rateLimit = null, TimeSpan? ratePeriod = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(taskName);
        var limit = new TaskLimit { MaxConcurrency = maxConcurrency, RateLimit = rateLimit };
        if (ratePeriod is { } period)
        {
            limit.RatePeriod = period;
        }

        Services.Configure<TaskQueueWorkerOptions>(Name, options => options.TaskLimits[taskName] = limit);
        return this;
    }

    /// <summary>
    /// Runs a <see cref="TaskQueueWorker"/> as a hosted service, routing each task to the handlers registered on this
    /// builder. The unnamed queue's worker is a singleton; a named queue's is a keyed singleton
    /// (<c>[FromKeyedServices("orders")] TaskQueueWorker</c>), with its own options (<c>IOptionsMonitor.Get(name)</c>).
    /// </summary>
    /// <param name="configure">Sets concurrency, polling, batching and shutdown; validated when the host starts.</param>
    /// <returns>This builder.</returns>
    public TaskQueueBuilder AddWorker(Action<TaskQueueWorkerOptions>? configure = null)
    {
        var options = Services.AddOptions<TaskQueueWorkerOptions>(Name);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TaskQueueWorkerOptions>, TaskQueueWorkerOptionsValidator>());
        var name = Name;
        if (name == OptionsNames.DefaultName)
        {
            Services.TryAddSingleton(sp => TaskRouter.For(sp, name));
            Services.TryAddSingleton(sp => CreateWorker(sp, name, sp.GetRequiredService<TaskRouter>()));
            Services.AddHostedService<TaskQueueWorkerService>();
        }
        else if (!Services.Any(d => d.IsKeyedService && d.ServiceType == typeof(TaskQueueWorker) && Equals(d.ServiceKey, name)))
        {
            Services.AddKeyedSingleton(name, (sp, _) => CreateWorker(sp, name, TaskRouter.For(sp, name)));
            Services.AddSingleton<IHostedService>(sp => new TaskQueueWorkerService(sp.GetRequiredKeyedService<TaskQueueWorker>(name)));
        }

        return this;
    }

    private static TaskQueueWorker CreateWorker(IServiceProvider sp, string name, TaskRouter router)
    {
        Func<TaskMessage, TaskContext, Task<TaskOutcome>> route = router.RouteAsync;
        var worker = new TaskQueueWorker(
            sp.GetRequiredService<ISqsClient>(),
            OptionsNames.Create(sp.GetRequiredService<IOptionsMonitor<TaskQueueOptions>>().Get(name)),
            OptionsNames.Create(sp.GetRequiredService<IOptionsMonitor<TaskQueueWorkerOptions>>().Get(name)),
            route,
            sp.GetService<ILogger<TaskQueueWorker>>(),
            sp.GetService<TimeProvider>(),
            EntityTrackingServices.From(sp),
            sp.GetService<IPayloadStore>());
        if (sp.GetService<ReceiveScheduler>() is { } scheduler)
        {
            worker.JoinScheduler(scheduler);
        }

        return worker;
    }
}
