namespace TaskQueue.DocsTests;

/// <summary>Tests that change the process's environment variables or console, so they run alone.</summary>
[CollectionDefinition(nameof(ProcessEnvironmentDefinition), DisableParallelization = true)]
public sealed class ProcessEnvironmentDefinition;
