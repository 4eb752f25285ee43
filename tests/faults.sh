#!/usr/bin/env bash
# The fault suite at full counts, one command: bash tests/faults.sh [dotnet test options...]
#
# Runs tests/TaskQueue.FaultTests through tests/run.sh (which installs and starts the local SQS server, fauxqs, on
# loopback, and dynalite; the server-restart and entity scenarios start their own fauxqs with persistence) with
# TASKQUEUE_FAULTS=full:
#   kill      10,000 tasks, the worker process SIGKILLed 5 times at random moments and restarted
#   restart   5,000 tasks, the SQS server SIGKILLed 3 times mid-run and restarted on the same port
#   poison    1,000 hostile bodies among 1,000 valid tasks (and 50 more through the default redrive path)
#   shutdown  SIGTERM with long tasks running, a second worker taking over
#   long      10 tasks of three visibility timeouts, two workers competing
#   entities  1,000 entities × 5 tasks with the DynamoDB ledger (dynalite, from tests/run.sh) over 3 worker processes,
#             SIGKILLs of random workers, one SQS server restart, failing tasks dead-lettered, then a redrive
# and writes the figures measured, with the machine and the date, to docs/RELIABILITY.md.
# TASKQUEUE_FAULTS_SEED=N repeats a run's random choices. The exit code is dotnet test's. One scenario only:
# bash tests/faults.sh --filter 'FullyQualifiedName~EntityCompletion' (the page then holds that scenario alone).
set -euo pipefail

tests_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_dir="$(dirname "$tests_dir")"

export TASKQUEUE_FAULTS=full
export TASKQUEUE_FAULTS_REPORT="$repo_dir/docs/RELIABILITY.md"
mkdir -p "$repo_dir/docs"
status=0
bash "$tests_dir/run.sh" "$tests_dir/TaskQueue.FaultTests/TaskQueue.FaultTests.csproj" --logger "console;verbosity=normal" "$@" || status=$?
echo "tests/faults.sh: figures written to $TASKQUEUE_FAULTS_REPORT" >&2
exit "$status"
