namespace TaskQueue.DocsTests;

/// <summary>One fenced code block of a markdown file.</summary>
/// <param name="File">The markdown file, relative to the repository root.</param>
/// <param name="Line">The 1-based line of the block's first code line in that file.</param>
/// <param name="Language">The fence's info string, e.g. <c>csharp</c>.</param>
/// <param name="Code">The block's text.</param>
/// <param name="Heading">The markdown heading the block sits under, without its <c>#</c>s.</param>
/// <param name="ContextFiles">Files (relative to the repository root) named by a <c>snippet-context</c> comment right before the fence.</param>
public sealed record MarkdownSnippet(string File, int Line, string Language, string Code, string Heading, IReadOnlyList<string> ContextFiles)
{
    /// <summary>Where the block is, as an editor opens it.</summary>
    public string Location => $"{File}:{Line}";
}
