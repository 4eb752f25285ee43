using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace TaskQueue.DocsTests;

/// <summary>
/// Compiles a C# snippet on its own, as a reader's console project would: top-level statements, nullable on,
/// the SDK's implicit usings, and as references the assemblies this test project references (TaskQueue,
/// TaskQueue.Testing, AWSSDK.SQS, Microsoft.Extensions.Hosting, OpenTelemetry...) with the runtime's.
/// </summary>
public static class SnippetCompiler
{
    // What `dotnet new console` (Microsoft.NET.Sdk with ImplicitUsings) puts in scope.
    private const string ImplicitUsings = """
        global using global::System;
        global using global::System.Collections.Generic;
        global using global::System.IO;
        global using global::System.Linq;
        global using global::System.Net.Http;
        global using global::System.Threading;
        global using global::System.Threading.Tasks;
        """;

    // The SDK's default NoWarn: assembly version unification (a package built on Microsoft.Extensions 8 running on 10).
    private static readonly ImmutableDictionary<string, ReportDiagnostic> SdkSuppressedWarnings =
        ImmutableDictionary<string, ReportDiagnostic>.Empty.Add("CS1701", ReportDiagnostic.Suppress).Add("CS1702", ReportDiagnostic.Suppress);

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(LoadReferences);

    /// <summary>Compiles <paramref name="snippet"/> with its context files.</summary>
    /// <param name="snippet">The block.</param>
    /// <returns>The compilation.</returns>
    public static CSharpCompilation Compile(MarkdownSnippet snippet)
    {
        var trees = new List<SyntaxTree>
        {
            CSharpSyntaxTree.ParseText(ImplicitUsings, ParseOptions, "ImplicitUsings.g.cs"),
            CSharpSyntaxTree.ParseText(snippet.Code, ParseOptions, snippet.File),
        };
        foreach (var context in snippet.ContextFiles)
        {
            var path = Path.Combine(DocumentationFiles.RepositoryRoot, context);
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"{snippet.Location}: its snippet-context names {context}, which does not exist.", path);
            }

            trees.Add(CSharpSyntaxTree.ParseText(File.ReadAllText(path), ParseOptions, context));
        }

        // A block of declarations only (a handler class) is a library; one with statements is a program.
        var isProgram = trees.Any(tree => tree.GetCompilationUnitRoot().Members.OfType<GlobalStatementSyntax>().Any());
        var options = new CSharpCompilationOptions(isProgram ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary)
            .WithNullableContextOptions(NullableContextOptions.Enable)
            .WithSpecificDiagnosticOptions(SdkSuppressedWarnings);
        var compilation = CSharpCompilation.Create("Snippet_" + snippet.Line, trees, References.Value, options);

        // As the SDK does: System.Text.Json's source generator completes the JsonSerializerContext classes a block declares.
        CSharpGeneratorDriver.Create([.. Generators.Value]).WithUpdatedParseOptions(ParseOptions)
            .RunGeneratorsAndUpdateCompilation(compilation, out var generated, out _);
        return (CSharpCompilation)generated;
    }

    private static readonly Lazy<ImmutableArray<ISourceGenerator>> Generators = new(LoadGenerators);

    /// <summary>The System.Text.Json source generator of the targeting pack matching this runtime, as a project build uses it.</summary>
    private static ImmutableArray<ISourceGenerator> LoadGenerators()
    {
        var runtime = System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory();
        var dotnetRoot = Path.GetFullPath(Path.Combine(runtime, "..", "..", ".."));
        var packs = Path.Combine(dotnetRoot, "packs", "Microsoft.NETCore.App.Ref");
        var major = Environment.Version.Major.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".";
        var generator = Directory.Exists(packs)
            ? Directory.GetDirectories(packs, major + "*").Order(StringComparer.Ordinal)
                .Select(pack => Path.Combine(pack, "analyzers", "dotnet", "cs", "System.Text.Json.SourceGeneration.dll"))
                .LastOrDefault(File.Exists)
            : null;
        if (generator is null)
        {
            throw new FileNotFoundException($"System.Text.Json's source generator was not found under {packs}: README blocks that declare a JsonSerializerContext need it.");
        }

        return new Microsoft.CodeAnalysis.Diagnostics.AnalyzerFileReference(generator, new GeneratorAssemblyLoader()).GetGenerators(LanguageNames.CSharp);
    }

    private sealed class GeneratorAssemblyLoader : Microsoft.CodeAnalysis.IAnalyzerAssemblyLoader
    {
        public void AddDependencyLocation(string fullPath)
        {
        }

        public System.Reflection.Assembly LoadFromPath(string fullPath) => System.Reflection.Assembly.LoadFrom(fullPath);
    }

    /// <summary>
    /// The errors and warnings of <paramref name="compilation"/>, one line each, located in the markdown file:
    /// <c>README.md:57: error CS0103: The name 'x' does not exist in the current context</c>.
    /// </summary>
    /// <param name="snippet">The block compiled.</param>
    /// <param name="compilation">Its compilation.</param>
    /// <returns>The problems; empty when it compiles cleanly.</returns>
    public static IReadOnlyList<string> Problems(MarkdownSnippet snippet, CSharpCompilation compilation) =>
    [
        .. compilation.GetDiagnostics()
            .Where(diagnostic => diagnostic.Severity >= DiagnosticSeverity.Warning && !diagnostic.IsSuppressed)
            .Select(diagnostic => Describe(snippet, diagnostic)),
    ];

    private static string Describe(MarkdownSnippet snippet, Diagnostic diagnostic)
    {
        var span = diagnostic.Location.GetLineSpan();
        var where = !diagnostic.Location.IsInSource ? snippet.Location
            : span.Path == snippet.File ? $"{snippet.File}:{snippet.Line + span.StartLinePosition.Line}"
            : $"{span.Path}:{span.StartLinePosition.Line + 1}";
        var severity = diagnostic.Severity == DiagnosticSeverity.Error ? "error" : "warning";
        return $"{where}: {severity} {diagnostic.Id}: {diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        // The runtime's assemblies and everything in this project's output (its package and project references).
        var platform = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        var output = Directory.GetFiles(AppContext.BaseDirectory, "*.dll");
        return
        [
            .. output.Concat(platform)
                .DistinctBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase)
                .Where(IsManagedAssembly)
                .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path)),
        ];
    }

    private static bool IsManagedAssembly(string path)
    {
        try
        {
            System.Reflection.AssemblyName.GetAssemblyName(path);
            return true;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }
}
