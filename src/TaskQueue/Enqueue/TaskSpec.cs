namespace TaskQueue;

/// <summary>One task to enqueue for an entity.</summary>
/// <param name="TaskName">The task's name, unique within one enqueue call; with the entity id it forms the MessageGroupId.</param>
/// <param name="Config">
/// The task's parameters: null (sent as <c>{}</c>) or anything System.Text.Json serializes to a JSON object
/// (a dictionary, an anonymous or record type, a JsonElement or JsonObject).
/// </param>
public sealed record TaskSpec(string TaskName, object? Config = null);
