
namespace TaskQueue;

/// <summary>The handler of one task name, as registered in dependency injection.</summary>
/// <param name="TaskName">The task name it handles.</param>
/// <param name="Handle">Runs a task with the services of the message's scope, and says what becomes of it.</param>
/// <param name="Timeout">How long a run may take before its token is cancelled and it fails as timed out; null for no limit.</param>
/// <param name="Queue">The name of the queue whose worker routes to it; <c>""</c> for the unnamed one.</param>
internal sealed record TaskHandlerRegistration(string TaskName, Func<IServiceProvider, TaskMessage, TaskContext, Task<TaskOutcome>> Handle, TimeSpan? Timeout = null, string Queue = "");
