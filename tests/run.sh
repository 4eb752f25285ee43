#!/usr/bin/env bash
# The test command: bash tests/run.sh [project.csproj | solution.sln | project-dir] [dotnet test options...]
#
# Runs `dotnet test` on TaskQueue.sln (or the project given first) against an SQS-compatible server and a
# DynamoDB-compatible one: those TASKQUEUE_SQS_ENDPOINT and TASKQUEUE_DYNAMODB_ENDPOINT name, or else a local
# fauxqs and dynalite it installs (npm ci), starts on free loopback ports and stops when the tests end, pass or
# fail. The exit code is dotnet test's.
set -euo pipefail

tests_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_dir="$(dirname "$tests_dir")"
sqs_server_caller="tests/run.sh"
# shellcheck source=sqs-server.sh
source "$tests_dir/sqs-server.sh"
# shellcheck source=dynamodb-server.sh
source "$tests_dir/dynamodb-server.sh"

# INT and TERM exit through the EXIT trap; bash runs them once the foreground dotnet test has ended.
trap stop_servers EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

target="$repo_dir/TaskQueue.sln"
if [[ $# -gt 0 && ( "$1" == *.csproj || "$1" == *.sln || "$1" == *.slnx || ( -d "$1" && "$1" != -* ) ) ]]; then
  target="$1"
  shift
fi

if [[ -n "${TASKQUEUE_SQS_ENDPOINT:-}" ]]; then
  echo "tests/run.sh: using the SQS endpoint TASKQUEUE_SQS_ENDPOINT=$TASKQUEUE_SQS_ENDPOINT" >&2
else
  install_server
  start_server
fi

if [[ -n "${TASKQUEUE_DYNAMODB_ENDPOINT:-}" ]]; then
  echo "tests/run.sh: using the DynamoDB endpoint TASKQUEUE_DYNAMODB_ENDPOINT=$TASKQUEUE_DYNAMODB_ENDPOINT" >&2
else
  install_server
  start_dynamodb_server
fi

# dotnet test prints one summary per test project; the sum goes on one closing line that CI reads.
summary_file="$(mktemp)"
status=0
dotnet test "$target" "$@" 2>&1 | tee "$summary_file" || status=${PIPESTATUS[0]}
awk '
  /^(Passed|Failed)! +- Failed: / {
    gsub(/,/, ""); for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) }
    found = 1
  }
  END { if (found) printf "%d passed, %d failed, %d skipped\n", p, f, s }
' "$summary_file"
rm -f "$summary_file"
exit "$status"
