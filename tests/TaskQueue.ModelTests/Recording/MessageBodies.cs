using System.Globalization;
using System.Text.Json;
using TaskQueue.ModelTests.Scenarios;

namespace TaskQueue.ModelTests.Recording;

/// <summary>The serial a body carries: in the task config of a task message, or in the text of a poison body.</summary>
public static class MessageBodies
{
    private const string PoisonPrefix = "not a task message #";

    public static object Config(TaskPlan task) => new { serial = task.Serial };

    public static int SerialOf(string body)
    {
        if (body.StartsWith(PoisonPrefix, StringComparison.Ordinal))
        {
            return int.Parse(body.AsSpan(PoisonPrefix.Length), CultureInfo.InvariantCulture);
        }

        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("task_config").GetProperty("serial").GetInt32();
    }

    public static int SerialOf(JsonElement taskConfig) => taskConfig.GetProperty("serial").GetInt32();
}
