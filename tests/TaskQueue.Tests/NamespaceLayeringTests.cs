using System.Text.RegularExpressions;
using FluentAssertions;

namespace TaskQueue.Tests;

/// <summary>
/// The library's namespaces depend on each other one way only: Microsoft.Extensions.DependencyInjection (the
/// registrations) → TaskQueue → TaskQueue.Sqs (the seam). Read from the sources: a file of one namespace that names a
/// type declared in another depends on it. Files that stand in for a newer framework's types on older frameworks are left
/// out.
/// </summary>
public partial class NamespaceLayeringTests
{
    private static readonly string[] Layers = ["Microsoft.Extensions.DependencyInjection", "TaskQueue", "TaskQueue.Sqs"];

    [GeneratedRegex(@"^namespace ([\w.]+);", RegexOptions.Multiline)]
    private static partial Regex Namespace();

    [GeneratedRegex(@"^(?:public|internal)\s+(?:(?:static|sealed|abstract|readonly|partial)\s+)*(?:class|record|struct|interface|enum)\s+(\w+)", RegexOptions.Multiline)]
    private static partial Regex TypeDeclaration();

    [GeneratedRegex(@"//.*")]
    private static partial Regex Comment();

    [Theory]
    [InlineData("src/TaskQueue")]
    [InlineData("src/TaskQueue.Testing")]
    public void Library_NamespacesDependOneWayOnly(string project)
    {
        var files = Directory.GetFiles(Path.Combine(RepositoryRoot(), project), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal))
            .Select(f => (Text: File.ReadAllText(f), Namespace: Namespace().Match(File.ReadAllText(f)).Groups[1].Value))
            .Where(f => f.Namespace.Length > 0)

            // A stand-in for a newer framework's type, compiled for older frameworks only, is the framework's, not a layer.
            .Where(f => !f.Text.StartsWith("#if !NET", StringComparison.Ordinal))
            .ToList();
        var declared = files
            .SelectMany(f => TypeDeclaration().Matches(f.Text).Select(m => (Type: m.Groups[1].Value, f.Namespace)))
            .GroupBy(t => t.Namespace)
            .ToDictionary(g => g.Key, g => g.Select(t => t.Type).Distinct().ToList());

        var edges = files
            .SelectMany(f => declared.Where(d => d.Key != f.Namespace && d.Value.Any(type => Regex.IsMatch(Comment().Replace(f.Text, ""), $@"\b{type}\b")))
                .Select(d => (From: f.Namespace, To: d.Key)))
            .Distinct()
            .ToList();

        declared.Keys.Should().OnlyContain(ns => Layers.Contains(ns) || ns == "TaskQueue.Testing", "the library has these namespaces only");
        edges.Where(e => Array.IndexOf(Layers, e.From) >= Array.IndexOf(Layers, e.To)).Should().BeEmpty("a namespace may use only those below it");
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "TaskQueue.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("TaskQueue.sln not found above " + AppContext.BaseDirectory);
    }
}
