using System.Diagnostics;
using System.Globalization;
using Amazon.Runtime;
using Amazon.SQS;

namespace TaskQueue.FaultTests.Harness;

/// <summary>
/// A fauxqs server of the fault suite's own, its state in SQLite in a data folder (fauxqs's persistence,
/// as <c>startFauxqs({ dataDir })</c> wires it), bound to loopback only. <see cref="KillAsync"/> kills it
/// with SIGKILL; <see cref="StartAsync"/> brings it back on the same port with the same state.
/// </summary>
public sealed class PersistentSqsServer : IAsyncDisposable
{
    // startFauxqs would listen on every interface, so the same wiring is done here and the app listens on 127.0.0.1.
    private const string Launcher = """
        import { writeFileSync } from "node:fs";
        import { join } from "node:path";
        import { pathToFileURL } from "node:url";
        import { buildApp } from "fauxqs";
        import { digestReturnedAttributes } from "./fauxqs-receive-digest.mjs";
        const dist = join(process.cwd(), "node_modules", "fauxqs", "dist");
        const load = (file) => import(pathToFileURL(join(dist, file)).href);
        const { SqsStore } = await load("sqs/sqsStore.js");
        const { SnsStore } = await load("sns/snsStore.js");
        const { S3Store } = await load("s3/s3Store.js");
        const { PersistenceManager } = await load("persistence.js");
        const sqsStore = new SqsStore(), snsStore = new SnsStore(), s3Store = new S3Store();
        const persistence = new PersistenceManager(process.env.FAUXQS_DATA_DIR);
        // fauxqs 2.4.1 stores a message made visible again (ChangeMessageVisibility to 0) by writing NULL into its NOT NULL
        // receive count; the write throws after the message left the in-flight list and before it is queued again, so the
        // message is lost. Kept here: only the receipt and deadline are cleared, as the in-memory queue does.
        const ready = persistence.db.prepare("UPDATE sqs_messages SET receipt_handle = NULL, visibility_deadline = NULL WHERE message_id = ?");
        persistence.updateMessageReady = (messageId) => ready.run(messageId);
        persistence.load(sqsStore, snsStore, s3Store);
        sqsStore.persistence = persistence;
        snsStore.persistence = persistence;
        s3Store.persistence = persistence;
        for (const queue of sqsStore.allQueues()) queue.persistence = persistence;
        const app = buildApp({ logger: false, stores: { sqsStore, snsStore, s3Store } });
        digestReturnedAttributes(app);
        await app.listen({ host: "127.0.0.1", port: Number(process.env.FAUXQS_PORT) });
        writeFileSync(process.env.FAUXQS_PORT_FILE, String(app.server.address().port));
        console.log(`fauxqs (persistent, ${process.env.FAUXQS_DATA_DIR}) on 127.0.0.1:${app.server.address().port}`);
        """;

    private readonly string _directory;
    private Process? _process;
    private int _port;

    private PersistentSqsServer(string directory) => _directory = directory;

    public Uri Endpoint => new($"http://127.0.0.1:{_port.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>Starts a server with an empty data folder under <paramref name="directory"/>, on a free port.</summary>
    public static async Task<PersistentSqsServer> CreateAsync(string directory)
    {
        var server = new PersistentSqsServer(directory);
        Directory.CreateDirectory(Path.Combine(directory, "data"));
        await server.StartAsync();
        return server;
    }

    /// <summary>Starts (or restarts) the server on its port and waits for <c>GET /health</c>.</summary>
    public async Task StartAsync()
    {
        var portFile = Path.Combine(_directory, "port");
        File.Delete(portFile);
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, WorkingDirectory = RepositoryPaths.TestsDirectory };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec \"$0\" --no-warnings --input-type=module -e \"$1\" >>\"$FAUXQS_LOG\" 2>&1");
        start.ArgumentList.Add(RepositoryPaths.Node);
        start.ArgumentList.Add(Launcher);
        start.Environment["FAUXQS_DATA_DIR"] = Path.Combine(_directory, "data");
        start.Environment["FAUXQS_PORT"] = _port.ToString(CultureInfo.InvariantCulture);
        start.Environment["FAUXQS_PORT_FILE"] = portFile;
        start.Environment["FAUXQS_LOG"] = Path.Combine(_directory, "fauxqs.log");
        _process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the persistent fauxqs exited ({_process.ExitCode}): {File.ReadAllText(Path.Combine(_directory, "fauxqs.log"))}");
            }

            if (_port == 0 && File.Exists(portFile) && int.TryParse(File.ReadAllText(portFile), out var port))
            {
                _port = port;
            }

            if (_port != 0)
            {
                try
                {
                    using var response = await http.GetAsync(new Uri(Endpoint, "/health"));
                    if (response.IsSuccessStatusCode)
                    {
                        return;
                    }
                }
                catch (HttpRequestException)
                {
                }
                catch (TaskCanceledException)
                {
                }
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("the persistent fauxqs did not answer GET /health within 30 s");
    }

    /// <summary>SIGKILL, as a crash would end it; waits until it is gone.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    /// <summary>An SDK client for this server: dummy credentials, short timeouts.</summary>
    public AmazonSQSClient CreateSdkClient() => new(new BasicAWSCredentials("test", "test"), new AmazonSQSConfig
    {
        ServiceURL = Endpoint.ToString(),
        AuthenticationRegion = "us-east-1",
        Timeout = TimeSpan.FromSeconds(30),
        ConnectTimeout = TimeSpan.FromSeconds(2),
        MaxErrorRetry = 2,
    });

    public async ValueTask DisposeAsync() => await KillAsync();
}
