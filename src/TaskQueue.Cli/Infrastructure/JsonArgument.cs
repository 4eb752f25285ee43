using System.Text.Json;

namespace TaskQueue.Cli.Infrastructure;

/// <summary>Reads a JSON option such as <c>--config</c>: it must be a JSON object.</summary>
internal static class JsonArgument
{
    /// <summary>The text of a file named by an option; a file that cannot be read is the user's to fix.</summary>
    public static string ReadFile(FileInfo file, string option)
    {
        try
        {
            return File.ReadAllText(file.FullName);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"{option} {file.FullName} cannot be read: {ex.Message}");
        }
    }

    public static JsonElement? ParseObject(string? text, string option)
    {
        if (text is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? document.RootElement.Clone()
                : throw new UsageException($"{option} must be a JSON object like '{{\"pages\": 3}}', not a JSON {document.RootElement.ValueKind.ToString().ToLowerInvariant()}");
        }
        catch (JsonException ex)
        {
            throw new UsageException($"{option} is not valid JSON: {ex.Message.Split(". ")[0]}");
        }
    }
}
