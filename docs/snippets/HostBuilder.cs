// Compiled with the README blocks that continue a Generic Host's Program.cs (see tests/TaskQueue.DocsTests):
// the `builder` they add to and the usings of that Program.cs.
global using Microsoft.Extensions.DependencyInjection;
global using Microsoft.Extensions.Hosting;
global using OpenTelemetry.Metrics;
global using OpenTelemetry.Trace;
global using TaskQueue;

internal partial class Program
{
    private static readonly HostApplicationBuilder builder = Host.CreateApplicationBuilder();
}
