using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using TaskQueue.Benchmarks.EndToEnd;
using TaskQueue.Benchmarks.FanOut;
using TaskQueue.Benchmarks.Micro;
using TaskQueue.Benchmarks.Report;

// The benchmark harness. `bash tests/benchmarks.sh` starts the local SQS server and runs `all`, which runs each
// part below in a fresh child process and writes the figures into docs/BENCHMARKS.md.
//   all [--tasks N] [--latency-tasks N] [--lanes L] [--latencies 0,15] [--rounds R] [--out docs/BENCHMARKS.md] [--skip-micro]
//   e2e <library|library+memory-ledger|library+dynamodb-ledger|sdk-pipelined|sdk-pipelined+attributes|sdk-pipelined+read|sdk-batch|reference|reference-wide> <tasks> <lanes> <latency-ms>
//   render [--out docs/BENCHMARKS.md]: writes the page's generated section again from the last run's figures (the .json
//      beside it), after a change to how they are written; measures nothing
//   fanout
//   micro <artifacts-dir>
//   worker-loop [tasks]: the worker over an in-process feed of prepared messages, no network (Micro/WorkerLoopRunner.cs)
//   s3 [--tasks N] [--payload-kib K] [--mib M]: only the S3 path (bash tests/benchmarks.sh s3): throughput and requests
//      per task of tasks whose bodies go through S3, and the peak RSS of a worker running one M-MiB task
//   s3-path <tasks> <payload-bytes> <concurrency> | s3-produce <mib> | s3-rss <queue-url> <library|string>: its parts
//   scale | soak [options]: worker processes on one queue (bash tests/benchmarks.sh scale|soak; see ScaleOut/ScaleCommands.cs)
//   scale-worker <settings>: one such worker process

// Tasks of the worker-loop's measured round: long enough for a steady figure (about a second), short enough for the run.
const int WorkerLoopTasks = 300_000;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

var command = args.Length > 0 ? args[0] : "all";
switch (command)
{
    case "e2e":
        PrintResult(await EndToEndRunner.RunAsync(args[1], Int(args[2]), Int(args[3]), Int(args[4]), cancel.Token));
        return 0;
    case "fanout":
        PrintResult(await FanOutRunner.RunAsync(cancel.Token));
        return 0;
    case "micro":
        PrintResult(MicroRunner.Run(args[1]));
        return 0;
    case "worker-loop":
        PrintResult(await WorkerLoopRunner.RunAsync(args.Length > 1 ? Int(args[1]) : WorkerLoopTasks, cancel.Token));
        return 0;
    case "all":
        return await RunAllAsync(args[1..], cancel.Token);
    case "render":
        return Rerender(Option(args[1..], "--out") ?? "docs/BENCHMARKS.md");
    case "s3":
        return await RunS3Async(args[1..], cancel.Token);
    case "s3-path":
        PrintResult(await TaskQueue.Benchmarks.LargePayloads.S3PathRunner.RunAsync(Int(args[1]), Int(args[2]), Int(args[3]), cancel.Token));
        return 0;
    case "s3-produce":
        PrintResult(await TaskQueue.Benchmarks.LargePayloads.PayloadMemoryRunner.ProduceAsync(Int(args[1]), cancel.Token));
        return 0;
    case "s3-rss":
        PrintResult(await TaskQueue.Benchmarks.LargePayloads.PayloadMemoryRunner.ConsumeAsync(args[1], args[2], cancel.Token));
        return 0;
    case "scale":
    case "soak":
    case "scale-worker":
        return await TaskQueue.Benchmarks.ScaleOut.ScaleCommands.RunAsync(command, args[1..], cancel.Token);
    default:
        await Console.Error.WriteLineAsync($"unknown command '{command}': all, e2e, fanout or micro");
        return 2;
}

static async Task<int> RunS3Async(string[] options, CancellationToken cancellationToken)
{
    var tasks = Int(Option(options, "--tasks") ?? "200");
    var payloadBytes = Int(Option(options, "--payload-kib") ?? "1536") * 1024;
    var mebibytes = Int(Option(options, "--mib") ?? "100");
    Progress($"S3 path: {tasks} tasks of {payloadBytes / 1024} KiB through S3, worker concurrency 8");
    var path = await ChildProcess.RunAsync<TaskQueue.Benchmarks.LargePayloads.S3PathResult>(["s3-path", Str(tasks), Str(payloadBytes), "8"], cancellationToken);
    Console.WriteLine(JsonSerializer.Serialize(path));
    foreach (var mode in new[] { "library", "string" })
    {
        Progress($"peak RSS: one task of {mebibytes} MiB, {mode}");
        var produced = (await ChildProcess.RunAsync<string>(["s3-produce", Str(mebibytes)], cancellationToken)).Split(' ');
        var memory = await ChildProcess.RunAsync<TaskQueue.Benchmarks.LargePayloads.PayloadMemoryResult>(["s3-rss", produced[0], mode], cancellationToken);
        Console.WriteLine(JsonSerializer.Serialize(memory));
    }

    Console.WriteLine(JsonSerializer.Serialize(MachineInfo.Read()));
    return 0;
}

static async Task<int> RunAllAsync(string[] options, CancellationToken cancellationToken)
{
    // Loopback runs take a fraction of a second per 10,000 tasks: fewer would make a process phase of a few tens of milliseconds.
    var tasks = Int(Option(options, "--tasks") ?? "20000");
    var latencyTasks = Int(Option(options, "--latency-tasks") ?? "2000");
    var lanes = Int(Option(options, "--lanes") ?? "2");
    var latencies = (Option(options, "--latencies") ?? "0,15").Split(',').Select(Int).ToList();
    var output = Option(options, "--out") ?? "docs/BENCHMARKS.md";
    var rounds = Int(Option(options, "--rounds") ?? "3");
    if (rounds < 1)
    {
        await Console.Error.WriteLineAsync("--rounds must be at least 1.");
        return 2;
    }

    if (new[] { tasks, latencyTasks }.Any(n => n % Workload.TasksPerEntity != 0 || n < lanes * Workload.TasksPerEntity))
    {
        await Console.Error.WriteLineAsync($"--tasks and --latency-tasks must be multiples of {Workload.TasksPerEntity} and at least 10 × --lanes.");
        return 2;
    }

    var started = DateTimeOffset.UtcNow;
    var clock = Stopwatch.StartNew();

    // The server warms up too (V8 optimizes fauxqs's paths as it serves them): a first variant run on a cold server sent
    // at 0.6 of the rate of the same variant run right after. One run of the library and the hand loop, not reported.
    Progress("warming up the local servers (not reported)");
    foreach (var variant in new[] { "library", "sdk-pipelined" })
    {
        await ChildProcess.RunAsync<EndToEndResult>(["e2e", variant, Str(tasks), Str(lanes), "0"], cancellationToken);
    }

    // The variants the targets compare run in rounds, each once a round, one after another, so that a round's ratios
    // are read on the same state of a shared machine; the others run once. The table shows one run of each.
    string[] compared = ["library", "sdk-pipelined", "sdk-pipelined+attributes", "sdk-pipelined+read", "sdk-batch"];
    string[] tableOrder = ["library", "library+memory-ledger", "library+dynamodb-ledger", "sdk-pipelined", "sdk-pipelined+attributes", "sdk-pipelined+read", "sdk-batch", "reference", "reference-wide"];
    var endToEnd = new List<EndToEndResult>();
    var roundRuns = new List<EndToEndResult>();
    foreach (var latency in latencies)
    {
        var count = latency == 0 ? tasks : latencyTasks;
        for (var round = 1; round <= rounds; round++)
        {
            foreach (var variant in compared)
            {
                roundRuns.Add(await RunVariantAsync(variant, count, latency, round));
            }
        }

        foreach (var variant in tableOrder)
        {
            endToEnd.Add(compared.Contains(variant)
                ? roundRuns.Where(r => r.Variant == variant && r.LatencyMs == latency).OrderBy(r => r.Consume.ClientCpuSecondsPer1000).ElementAt((rounds - 1) / 2)
                : await RunVariantAsync(variant, count, latency, round: 1));
        }
    }

    Progress("fan-out: 40 tasks of 100 ms in 40 groups and in 1; 200 tasks of 20 to 300 ms");
    var fanOut = await ChildProcess.RunAsync<FanOutResult>(["fanout"], cancellationToken);

    IReadOnlyList<MicroResult> micro = [];
    WorkerLoopResult? workerLoop = null;
    if (!options.Contains("--skip-micro"))
    {
        Progress("micro-benchmarks (BenchmarkDotNet)");
        var artifacts = Path.Combine(Path.GetTempPath(), "taskqueue-benchmarks-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        micro = await ChildProcess.RunAsync<List<MicroResult>>(["micro", artifacts], cancellationToken);
        Progress($"the worker over an in-process feed, {WorkerLoopTasks:N0} tasks");
        workerLoop = await ChildProcess.RunAsync<WorkerLoopResult>(["worker-loop", Str(WorkerLoopTasks)], cancellationToken);
    }

    var results = new RunResults(started, clock.Elapsed, MachineInfo.Read(), tasks, latencyTasks, lanes, endToEnd, fanOut, micro)
    {
        WorkerLoop = workerLoop,
        Rounds = roundRuns,
    };
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
    ReportWriter.Write(output, results);
    File.WriteAllText(Path.ChangeExtension(output, ".json"), JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }));
    Progress($"wrote {output}");
    Console.WriteLine(ReportWriter.Render(results));
    return 0;

    async Task<EndToEndResult> RunVariantAsync(string variant, int count, int latency, int round)
    {
        Progress($"end to end: {variant}, {count} tasks, {lanes} lanes, {latency} ms added per call" + (compared.Contains(variant) ? $", round {round}" : string.Empty));
        var result = await ChildProcess.RunAsync<EndToEndResult>(["e2e", variant, Str(count), Str(lanes), Str(latency)], cancellationToken);
        Progress(string.Create(CultureInfo.InvariantCulture,
            $"  {result.Total.TasksPerSecond:N0} tasks/s, {result.Total.RequestsPerTask:F3} requests/task, {result.Total.ClientCpuSecondsPer1000:F2} CPU s/1000 tasks"));
        return result with { Round = round };
    }
}

static int Rerender(string output)
{
    var json = Path.ChangeExtension(output, ".json");
    var results = JsonSerializer.Deserialize<RunResults>(File.ReadAllText(json))
        ?? throw new InvalidOperationException($"{json} holds no run");
    ReportWriter.Write(output, results);
    Progress($"wrote {output} from {json}");
    return 0;
}

static void PrintResult<T>(T result) => Console.WriteLine(ChildProcess.ResultPrefix + JsonSerializer.Serialize(result));

static void Progress(string line) => Console.Error.WriteLine("benchmarks: " + line);

static string? Option(string[] options, string name)
{
    var at = Array.IndexOf(options, name);
    return at >= 0 && at + 1 < options.Length ? options[at + 1] : null;
}

static int Int(string text) => int.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture);

static string Str(int value) => value.ToString(CultureInfo.InvariantCulture);
