using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace TaskQueue;

/// <summary>
/// The message attributes of a task as enqueue writes them, <c>entity_id</c> then <c>task_name</c>: a read-only
/// dictionary of those two entries, one small object per message where a hash table cost ten times as much.
/// </summary>
/// <param name="entityId">The task's entity.</param>
/// <param name="taskName">The task's name.</param>
internal sealed class TaskAttributes(string entityId, string taskName) : IReadOnlyDictionary<string, string>
{
    public int Count => 2;

    public IEnumerable<string> Keys => [WireFormat.EntityId, WireFormat.TaskName];

    public IEnumerable<string> Values => [entityId, taskName];

    public string this[string key] =>
        TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"The given key '{key}' was not present in the dictionary.");

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        value = key switch
        {
            WireFormat.EntityId => entityId,
            WireFormat.TaskName => taskName,
            _ => null,
        };
        return value is not null;
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator()
    {
        yield return new(WireFormat.EntityId, entityId);
        yield return new(WireFormat.TaskName, taskName);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
