using Microsoft.Extensions.DependencyInjection;
using TaskQueue.Messages;
using TaskQueue.Processing;

namespace TaskQueue.Routing;

/// <summary>
/// Sends each task to the handler registered for its task name, in a dependency-injection scope
/// of its own. A task name without a handler fails with <see cref="TaskHandlerNotFoundException"/>.
/// </summary>
internal sealed class TaskRouter
{
    private readonly IServiceScopeFactory _scopes;
    private readonly IReadOnlyDictionary<string, Func<IServiceProvider, TaskMessage, TaskContext, Task>> _routes;

    /// <summary>Creates a router over the registered handlers.</summary>
    /// <param name="scopes">Creates the scope of each message.</param>
    /// <param name="registrations">The handlers, one per task name.</param>
    public TaskRouter(IServiceScopeFactory scopes, IEnumerable<TaskHandlerRegistration> registrations)
    {
        ArgumentNullException.ThrowIfNull(registrations);
        _scopes = scopes ?? throw new ArgumentNullException(nameof(scopes));
        var routes = new Dictionary<string, Func<IServiceProvider, TaskMessage, TaskContext, Task>>(StringComparer.Ordinal);
        foreach (var registration in registrations)
        {
            if (!routes.TryAdd(registration.TaskName, registration.Handle))
            {
                throw new InvalidOperationException($"Task '{registration.TaskName}' has two handlers: register one handler per task name.");
            }
        }

        _routes = routes;
    }

    /// <summary>The task names with a handler.</summary>
    public IEnumerable<string> TaskNames => _routes.Keys;

    /// <summary>Runs the task's handler in a new scope.</summary>
    /// <param name="task">The task.</param>
    /// <param name="context">Its context.</param>
    /// <returns>A task that completes when the handler is done.</returns>
    /// <exception cref="TaskHandlerNotFoundException">No handler is registered for the task name.</exception>
    public async Task RouteAsync(TaskMessage task, TaskContext context)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (!_routes.TryGetValue(task.TaskName, out var handle))
        {
            throw TaskHandlerNotFoundException.For(task.TaskName, _routes.Keys);
        }

        var scope = _scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            await handle(scope.ServiceProvider, task, context).ConfigureAwait(false);
        }
    }
}
