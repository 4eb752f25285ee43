namespace TaskQueue.Samples.Demo;

/// <summary>The demo's command line: <c>[--endpoint URL] [--help]</c>.</summary>
internal sealed record DemoArguments(Uri? Endpoint, bool ShowHelp, string? Error)
{
    public const string Usage = """
        usage: dotnet run --project samples/TaskQueue.Samples.Demo [-- --endpoint URL]

          (no options)     run on the in-memory SQS: nothing to set up
          --endpoint URL   run on an SQS-compatible server, e.g. http://127.0.0.1:4566
                           (credentials from the AWS SDK's usual chain; "test"/"test" when none)
          --help           show this text
        """;

    public static DemoArguments Parse(IReadOnlyList<string> args)
    {
        Uri? endpoint = null;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--help" or "-h":
                    return new DemoArguments(null, true, null);
                case "--endpoint" when i + 1 < args.Count:
                    if (!Uri.TryCreate(args[++i], UriKind.Absolute, out endpoint) || endpoint.Scheme is not ("http" or "https"))
                    {
                        return new DemoArguments(null, false, $"error: --endpoint '{args[i]}' is not an http(s) URL.");
                    }

                    break;
                case "--endpoint":
                    return new DemoArguments(null, false, "error: --endpoint needs a URL.");
                default:
                    return new DemoArguments(null, false, $"error: unknown argument '{args[i]}'.");
            }
        }

        return new DemoArguments(endpoint, false, null);
    }
}
