#!/usr/bin/env bash
# The model-based suite at full count, one command: bash tests/model.sh [dotnet test options...]
#
# Runs tests/TaskQueue.ModelTests in survey mode: MODEL_SCENARIOS generated scenarios (default 10,000), each played on
# the in-memory SQS and fake time with producers, 1 to 4 workers and generated faults, each checked by the oracle,
# all of them run to the end however many fail. Prints the figures as a markdown block for docs/RELIABILITY.md, and
# the seed of every failing scenario.
#   MODEL_SEED=<seed>              the run's master seed; with MODEL_SCENARIOS=1, the one scenario a failure names
#   MODEL_PROFILE=FailuresOnlyInLoneGroups   no handler failure can hold a successor back (a sound suite finds nothing)
#   MODEL_RECEIVE_MODE=OnePerGroup | SeveralPerGroup   fix the in-memory SQS's receive mode (default: both, mostly AWS's)
# No SQS server is needed. The exit code is dotnet test's.
set -euo pipefail

tests_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
report="$(mktemp)"
trap 'rm -f "$report"' EXIT

export MODEL_SURVEY=1
export MODEL_SCENARIOS="${MODEL_SCENARIOS:-10000}"
export MODEL_REPORT="$report"
started=$(date +%s)
status=0
dotnet test "$tests_dir/TaskQueue.ModelTests/TaskQueue.ModelTests.csproj" --logger "console;verbosity=normal" "$@" || status=$?
echo
echo "tests/model.sh: $MODEL_SCENARIOS scenario(s) in $(( $(date +%s) - started )) s (build included); figures for docs/RELIABILITY.md:"
echo
cat "$report"
exit "$status"
