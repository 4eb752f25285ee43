using TaskQueue.TestSupport.Backends;

namespace TaskQueue.IntegrationTests.Handler;

// Each TaskQueueHandler suite runs twice: on the in-memory SQS on a fake clock, and on the local SQS server.
// `--filter FullyQualifiedName~Handler.InMemory` runs the half that needs no server.

public sealed class InMemoryHandlerEnqueueTests() : HandlerEnqueueTests(new InMemoryBackend());

public sealed class LocalServerHandlerEnqueueTests() : HandlerEnqueueTests(new LocalServerBackend());

public sealed class InMemoryHandlerProcessOneTests() : HandlerProcessOneTests(new InMemoryBackend());

public sealed class LocalServerHandlerProcessOneTests() : HandlerProcessOneTests(new LocalServerBackend());

public sealed class InMemoryHandlerDeadLetterTests() : HandlerDeadLetterTests(new InMemoryBackend());

public sealed class LocalServerHandlerDeadLetterTests() : HandlerDeadLetterTests(new LocalServerBackend());

public sealed class InMemoryHandlerQueueStatusTests() : HandlerQueueStatusTests(new InMemoryBackend());

public sealed class LocalServerHandlerQueueStatusTests() : HandlerQueueStatusTests(new LocalServerBackend());

public sealed class InMemoryHandlerPoisonTests() : HandlerPoisonTests(new InMemoryBackend());

public sealed class LocalServerHandlerPoisonTests() : HandlerPoisonTests(new LocalServerBackend());

public sealed class InMemoryHandlerInteropTests() : HandlerInteropTests(new InMemoryBackend());

public sealed class LocalServerHandlerInteropTests() : HandlerInteropTests(new LocalServerBackend());
