using Microsoft.Extensions.DependencyInjection;

namespace TaskQueue;

/// <summary>
/// Sends each task to the handler registered for its task name, in a dependency-injection scope
/// of its own and under the timeout of its task name. A task name without a handler fails with <see cref="TaskHandlerNotFoundException"/>.
/// </summary>
internal sealed class TaskRouter
{
    private readonly IServiceScopeFactory _scopes;
    private readonly IReadOnlyDictionary<string, TaskHandlerRegistration> _routes;
    private readonly TimeProvider _time;

    /// <summary>Creates a router over the registered handlers.</summary>
    /// <param name="scopes">Creates the scope of each message.</param>
    /// <param name="registrations">The handlers, one per task name.</param>
    /// <param name="timeProvider">The clock of the handlers' timeouts; <see cref="TimeProvider.System"/> when null.</param>
    public TaskRouter(IServiceScopeFactory scopes, IEnumerable<TaskHandlerRegistration> registrations, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(registrations);
        _scopes = scopes ?? throw new ArgumentNullException(nameof(scopes));
        _time = timeProvider ?? TimeProvider.System;
        var routes = new Dictionary<string, TaskHandlerRegistration>(StringComparer.Ordinal);
        foreach (var registration in registrations)
        {
            if (!routes.TryAdd(registration.TaskName, registration))
            {
                throw new InvalidOperationException($"Task '{registration.TaskName}' has two handlers: register one handler per task name.");
            }
        }

        _routes = routes;
    }

    /// <summary>The router of the queue named <paramref name="queue"/>: it sees only the handlers registered for that queue.</summary>
    /// <param name="services">The container.</param>
    /// <param name="queue">The queue's name; <c>""</c> for the unnamed one.</param>
    /// <returns>The router.</returns>
    public static TaskRouter For(IServiceProvider services, string queue) => new(
        services.GetRequiredService<IServiceScopeFactory>(),
        services.GetServices<TaskHandlerRegistration>().Where(r => string.Equals(r.Queue, queue, StringComparison.Ordinal)),
        services.GetService<TimeProvider>());

    /// <summary>The task names with a handler.</summary>
    public IEnumerable<string> TaskNames => _routes.Keys;

    /// <summary>Runs the task's handler in a new scope.</summary>
    /// <param name="task">The task.</param>
    /// <param name="context">Its context.</param>
    /// <returns>What the handler decided becomes of the task.</returns>
    /// <exception cref="TaskHandlerNotFoundException">No handler is registered for the task name.</exception>
    /// <exception cref="TimeoutException">The handler outlasted its task name's timeout and ended by throwing.</exception>
    public async Task<TaskOutcome> RouteAsync(TaskMessage task, TaskContext context)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(context);
        if (!_routes.TryGetValue(task.TaskName, out var route))
        {
            throw TaskHandlerNotFoundException.For(task.TaskName, _routes.Keys);
        }

        var scope = _scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var services = scope.ServiceProvider;
            return route.Timeout is { } timeout
                ? await TaskTimeout.RunAsync(c => route.Handle(services, task, c), task.TaskName, timeout, context, _time).ConfigureAwait(false)
                : await route.Handle(services, task, context).ConfigureAwait(false);
        }
    }
}
