#!/usr/bin/env bash
# The benchmark command: bash tests/benchmarks.sh [--tasks N] [--latency-tasks N] [--lanes L] [--latencies 0,15] [--rounds 3] [--skip-micro]
#                   or: bash tests/benchmarks.sh s3 [--tasks N] [--payload-kib K] [--mib M]   (the S3 path only; prints its figures)
#                   or: bash tests/benchmarks.sh scale [--latency 15] ...   (1, 2, 4 worker processes on one queue: docs/SCALE.md)
#                   or: bash tests/benchmarks.sh soak [--tasks 1000000] ... (2 worker processes, throughput and RSS over time: docs/SOAK.md)
#
# Builds tests/TaskQueue.Benchmarks in Release, starts the local SQS server (fauxqs, as tests/run.sh does:
# npm ci in tests/, a free loopback port, stopped at the end) unless TASKQUEUE_SQS_ENDPOINT names another one,
# and the local DynamoDB server (dynalite, for the ledger variants) unless TASKQUEUE_DYNAMODB_ENDPOINT does,
# runs the end-to-end, fan-out and micro benchmarks and writes their figures into docs/BENCHMARKS.md (and
# docs/BENCHMARKS.json). Not part of the test command; about 5 to 10 minutes on 2 cores.
set -euo pipefail

tests_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_dir="$(dirname "$tests_dir")"
sqs_server_caller="tests/benchmarks.sh"
# shellcheck source=sqs-server.sh
source "$tests_dir/sqs-server.sh"
# shellcheck source=dynamodb-server.sh
source "$tests_dir/dynamodb-server.sh"

trap stop_servers EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "tests/benchmarks.sh: building the benchmarks (Release)..." >&2
dotnet build "$tests_dir/TaskQueue.Benchmarks/TaskQueue.Benchmarks.csproj" -c Release --nologo -v quiet >&2

if [[ -n "${TASKQUEUE_SQS_ENDPOINT:-}" ]]; then
  echo "tests/benchmarks.sh: using the SQS endpoint TASKQUEUE_SQS_ENDPOINT=$TASKQUEUE_SQS_ENDPOINT (its CPU is not measured)" >&2
  export BENCH_SQS_SERVER="${BENCH_SQS_SERVER:-$TASKQUEUE_SQS_ENDPOINT}"
else
  mkdir -p "$server_dir"
  install_server
  start_server
  export TASKQUEUE_SQS_SERVER_PID="$server_pid"
  node="$(find_node)"
  export BENCH_SQS_SERVER="fauxqs $("$node" -p 'require(process.argv[1]).version' "$tests_dir/node_modules/fauxqs/package.json") on Node $("$node" --version)"
fi

# The ledger variants' DynamoDB: TASKQUEUE_DYNAMODB_ENDPOINT, or a local dynalite (its CPU is not measured).
if [[ -z "${TASKQUEUE_DYNAMODB_ENDPOINT:-}" ]]; then
  install_server
  start_dynamodb_server
fi

CLK_TCK="$(getconf CLK_TCK 2>/dev/null || echo 100)"
BENCH_DOTNET_SDK="$(dotnet --version)"
export CLK_TCK BENCH_DOTNET_SDK

cd "$repo_dir"
if [[ "${1:-}" == "s3" || "${1:-}" == "scale" || "${1:-}" == "soak" ]]; then
  dotnet "$tests_dir/TaskQueue.Benchmarks/bin/Release/net10.0/TaskQueue.Benchmarks.dll" "$@"
else
  dotnet "$tests_dir/TaskQueue.Benchmarks/bin/Release/net10.0/TaskQueue.Benchmarks.dll" all --out docs/BENCHMARKS.md "$@"
fi
