// A producer a real service could copy: TaskQueue registered from configuration (appsettings.json,
// environment variables such as TaskQueue__QueueUrl), the tasks of one entity enqueued, each failure
// reported by task, and an exit code a script can act on.
//   dotnet run --project samples/TaskQueue.Samples.Producer -- doc-123 ocr yearBuilt --metadata '{"tenant":"acme"}'
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TaskQueue;
using TaskQueue.Sqs;

const string Usage = "usage: Producer <entity> <task>... [--metadata JSON]";
var arguments = args.ToList();
string? metadataJson = null;
if (arguments.IndexOf("--metadata") is var at and >= 0)
{
    if (at + 1 >= arguments.Count)
    {
        return Fail("--metadata needs a JSON object", 2);
    }

    metadataJson = arguments[at + 1];
    arguments.RemoveRange(at, 2);
}

if (arguments.Count < 2 || arguments.Any(a => a.StartsWith('-')))
{
    return Fail(Usage, 2);
}

// Only configuration from the host: the arguments are the producer's own.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = AppContext.BaseDirectory });
builder.Services.AddTaskQueue(builder.Configuration.GetSection("TaskQueue"));
using var host = builder.Build();

try
{
    using var metadata = metadataJson is null ? null : JsonDocument.Parse(metadataJson);
    var handler = host.Services.GetRequiredService<TaskQueueHandler>();
    var result = await handler.EnqueueTasksAsync(arguments[0], arguments.Skip(1).Select(name => new TaskSpec(name)), metadata?.RootElement);
    foreach (var task in result.Tasks)
    {
        Console.WriteLine(task.Succeeded
            ? $"sent   {result.EntityId}/{task.TaskName} as message {task.MessageId}"
            : $"FAILED {result.EntityId}/{task.TaskName}: {task.ErrorCode} {task.ErrorMessage}");
    }

    return result.AllSucceeded ? 0 : 1;
}
catch (JsonException ex)
{
    return Fail($"--metadata is not valid JSON: {ex.Message}", 2);
}
catch (Exception ex) when (ex is ArgumentException or OptionsValidationException)
{
    // A task name, config or option SQS would reject, caught before any request.
    return Fail(ex.Message, 2);
}
catch (TaskQueueException ex)
{
    return Fail(ex.Message, 1);
}

static int Fail(string message, int exitCode)
{
    Console.Error.WriteLine($"error: {message}");
    return exitCode;
}
