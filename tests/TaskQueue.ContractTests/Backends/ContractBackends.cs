using TaskQueue.ContractTests.Contracts;

using TaskQueue.TestSupport.Backends;

namespace TaskQueue.ContractTests.Backends;

// Each contract runs twice: on the in-memory SQS and on the local SQS server.
// `dotnet test --filter FullyQualifiedName~InMemory` runs the half that needs no server.

public sealed class InMemoryFifoOrderingContractTests() : FifoOrderingContract(new InMemoryBackend());

public sealed class LocalServerFifoOrderingContractTests() : FifoOrderingContract(new LocalServerBackend());

public sealed class InMemoryVisibilityContractTests() : VisibilityContract(new InMemoryBackend());

public sealed class LocalServerVisibilityContractTests() : VisibilityContract(new LocalServerBackend());

public sealed class InMemoryDeduplicationContractTests() : DeduplicationContract(new InMemoryBackend());

public sealed class LocalServerDeduplicationContractTests() : DeduplicationContract(new LocalServerBackend());

public sealed class InMemoryRedriveContractTests() : RedriveContract(new InMemoryBackend());

public sealed class LocalServerRedriveContractTests() : RedriveContract(new LocalServerBackend());

public sealed class InMemoryBatchLimitsContractTests() : BatchLimitsContract(new InMemoryBackend());

public sealed class LocalServerBatchLimitsContractTests() : BatchLimitsContract(new LocalServerBackend());

public sealed class InMemoryAttributeCountsContractTests() : AttributeCountsContract(new InMemoryBackend());

public sealed class LocalServerAttributeCountsContractTests() : AttributeCountsContract(new LocalServerBackend());
