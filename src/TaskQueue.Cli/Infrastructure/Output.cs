using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace TaskQueue.Cli.Infrastructure;

/// <summary>Prints data as an aligned text table or as JSON.</summary>
internal static class Output
{
    // Relaxed escaping: a CLI prints for people and scripts, never into HTML.
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonSerializerOptions JsonLineOptions = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void WriteJson(TextWriter writer, object value) => writer.WriteLine(JsonSerializer.Serialize(value, JsonOptions));

    /// <summary>One JSON document on one line, for output a script reads line by line (a watch).</summary>
    public static void WriteJsonLine(TextWriter writer, object value) => writer.WriteLine(JsonLine(value));

    /// <summary>The JSON of <see cref="WriteJsonLine"/>.</summary>
    public static string JsonLine(object value) => JsonSerializer.Serialize(value, JsonLineOptions);

    public static void WriteTable(TextWriter writer, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var all = rows.ToList();
        var widths = headers.Select((h, i) => Math.Max(h.Length, all.Select(r => r[i].Length).DefaultIfEmpty(0).Max())).ToArray();
        writer.WriteLine(Row(headers, widths));
        foreach (var row in all)
        {
            writer.WriteLine(Row(row, widths));
        }
    }

    public static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A text that may span lines (an error message) on one line, or <paramref name="none"/> when there is none.</summary>
    public static string SingleLine(string? text, string none = "") => text?.ReplaceLineEndings(" ") ?? none;

    /// <summary>A moment in UTC to the second, or <c>-</c> when unknown.</summary>
    public static string Time(DateTimeOffset? at) => at?.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "-";

    private static string Row(IReadOnlyList<string> cells, int[] widths) =>
        string.Join("  ", cells.Select((c, i) => c.PadRight(widths[i]))).TrimEnd();
}
