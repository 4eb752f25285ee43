using System.Text.RegularExpressions;

namespace TaskQueue.DocsTests;

/// <summary>
/// Reads the fenced code blocks of a markdown file. A block that needs declarations around it names the files
/// compiled with it in an HTML comment on the line before its fence, which readers of the rendered page do not see:
/// <c>&lt;!-- snippet-context: docs/snippets/HostBuilder.cs --&gt;</c>.
/// </summary>
public static partial class MarkdownSnippets
{
    [GeneratedRegex(@"^<!--\s*snippet-context:\s*(?<files>[^>]+?)\s*-->$")]
    private static partial Regex ContextComment();

    /// <summary>The blocks of <paramref name="markdown"/>, in order.</summary>
    /// <param name="file">The file's name, for locations.</param>
    /// <param name="markdown">The file's text.</param>
    /// <returns>The blocks.</returns>
    public static IReadOnlyList<MarkdownSnippet> Parse(string file, string markdown)
    {
        var lines = markdown.ReplaceLineEndings("\n").Split('\n');
        var snippets = new List<MarkdownSnippet>();
        var heading = "";
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.StartsWith('#'))
            {
                heading = line.TrimStart('#').Trim();
                continue;
            }

            if (!line.StartsWith("```", StringComparison.Ordinal))
            {
                continue;
            }

            var language = line[3..].Trim();
            var start = i + 1;
            var end = start;
            while (end < lines.Length && !lines[end].StartsWith("```", StringComparison.Ordinal))
            {
                end++;
            }

            if (end == lines.Length)
            {
                throw new FormatException($"{file}:{i + 1}: the code block opened here is never closed.");
            }

            var context = i > 0 ? ContextComment().Match(lines[i - 1].Trim()) : Match.Empty;
            IReadOnlyList<string> contextFiles = context.Success
                ? context.Groups["files"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                : [];
            snippets.Add(new MarkdownSnippet(file, start + 1, language, string.Join('\n', lines[start..end]), heading, contextFiles));
            i = end;
        }

        return snippets;
    }
}
