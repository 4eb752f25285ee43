using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.DependencyInjection;

namespace TaskQueue;

/// <summary>
/// Reads a task's config into the type its handler takes. A config that does not bind can never succeed, however often
/// it is tried: the task goes to the dead-letter queue with the reason, without running.
/// </summary>
internal static class TaskConfigBinding
{
    /// <summary>Runs <typeparamref name="THandler"/> from the message's scope on the bound config.</summary>
    public static Func<IServiceProvider, TaskMessage, TaskContext, Task<TaskOutcome>> Handle<THandler, TConfig>(JsonTypeInfo<TConfig> configType)
        where THandler : class, ITaskHandler<TConfig>
    {
        ArgumentNullException.ThrowIfNull(configType);
        return (services, task, context) => TryBind(task, configType, out var config, out var reason)
            ? services.GetRequiredService<THandler>().HandleAsync(task, config, context)
            : Task.FromResult(TaskOutcome.DeadLetter(reason));
    }

    /// <summary>The context's type info for <typeparamref name="TConfig"/>, or an error saying how to add it.</summary>
    public static JsonTypeInfo<TConfig> TypeInfo<TConfig>(JsonSerializerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.GetTypeInfo(typeof(TConfig)) as JsonTypeInfo<TConfig>
            ?? throw new ArgumentException(
                $"{context.GetType().Name} has no JSON metadata for {typeof(TConfig).Name}: add [JsonSerializable(typeof({typeof(TConfig).Name}))] to it.",
                nameof(context));
    }

    /// <summary>The reflection-based type info for <typeparamref name="TConfig"/>, with System.Text.Json's default options.</summary>
    [RequiresUnreferencedCode("Reflection-based JSON may need types the trimmer removes: pass a JsonTypeInfo or JsonSerializerContext instead.")]
    [RequiresDynamicCode("Reflection-based JSON generates code at run time: pass a JsonTypeInfo or JsonSerializerContext instead.")]
    public static JsonTypeInfo<TConfig> ReflectionTypeInfo<TConfig>() => (JsonTypeInfo<TConfig>)JsonSerializerOptions.Default.GetTypeInfo(typeof(TConfig));

    private static bool TryBind<TConfig>(
        TaskMessage task, JsonTypeInfo<TConfig> configType, [NotNullWhen(true)] out TConfig? config, [NotNullWhen(false)] out string? reason)
    {
        try
        {
            config = task.DeserializeConfig(configType);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or FormatException or InvalidOperationException)
        {
            config = default;
            reason = $"task_config of task '{task.TaskName}' does not bind to {typeof(TConfig).Name}: {ex.Message}";
            return false;
        }

        reason = config is null ? $"task_config of task '{task.TaskName}' binds to null, not a {typeof(TConfig).Name}" : null;
        return config is not null;
    }
}
