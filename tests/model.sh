#!/usr/bin/env bash
# The model-based suite at full count, one command: bash tests/model.sh [dotnet test options...]
#
# Runs tests/TaskQueue.ModelTests in survey mode: MODEL_SCENARIOS generated scenarios (default 10,000), each played on
# the in-memory SQS and fake time with producers, 1 to 4 workers and generated faults, each checked by the oracle,
# all of them run to the end however many fail. Prints the figures as a markdown block for docs/RELIABILITY.md, and
# the seed of every failing scenario.
#   MODEL_SEED=<seed>              the run's master seed; with MODEL_SCENARIOS=1, the one scenario a failure names
#   MODEL_REPEAT=1                 with MODEL_SEED, that one scenario MODEL_SCENARIOS times (threads interleave anew each time)
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

# A full survey (the default profile, both receive modes, no fixed seed) replaces the model-based section of
# docs/RELIABILITY.md; a rerun of one seed or a narrowed run only prints. The fault suite's rewrite keeps the section.
if [[ -s "$report" && -z "${MODEL_SEED:-}" && -z "${MODEL_PROFILE:-}" && -z "${MODEL_RECEIVE_MODE:-}" && "$MODEL_SCENARIOS" -ge 10000 ]]; then
  page="$(dirname "$tests_dir")/docs/RELIABILITY.md"
  section="$(mktemp)"
  {
    echo "<!-- model-suite:begin (written by tests/model.sh) -->"
    echo "## The model-based suite: generated scenarios checked by an oracle"
    echo
    echo "\`tests/TaskQueue.ModelTests\` generates scenarios (CsCheck) and plays each on the in-memory SQS and fake time: producers"
    echo "enqueue a few entities' tasks (several messages to a group), 1 to 4 \`TaskQueueWorker\`s take them, and faults are drawn"
    echo "per scenario: handlers that fail, throw or hang past the visibility timeout (honouring their token or not), poison"
    echo "bodies, worker crashes (abandoned without a release) and restarts, stops mid-run, pauses and resumes (held messages"
    echo "released when a pause outlasts its bound), per-task-name concurrency and rate limits, wall-clock steps of up to ±10 s,"
    echo "and on any SQS call throttling or a server error, before the call reaches the queue or after it was carried out"
    echo "(a lost answer: for a receive, messages delivered that the worker never sees). Most scenarios use the in-memory"
    echo "SQS's AWS receive mode (several messages of a group per receive, each counted); the rest one per group, as fauxqs."
    echo "After each, an oracle that sees only what SQS carried out and what the handlers did checks: every task completed"
    echo "or is in the DLQ; each dead letter's receives are accounted for by its own failed runs, lost answers, crashes,"
    echo "stops or pauses past the bound of the worker holding it, or lost leases (no task that never ran is dead-lettered"
    echo "otherwise); within a group"
    echo "no run starts before the one ahead completed or was dead-lettered; no two runs of a group overlap and no task"
    echo "completes twice unless a lease was truly lost; stopped workers stop. Every worker tracks entity completion in one"
    echo "shared in-memory ledger whose calls fail as SQS calls do (before or after they are carried out; a crashed worker's"
    echo "hang), and the oracle also checks that every enqueue batch whose tasks all completed or sit in the DLQ was"
    echo "announced, that an announcement says only what happened (a task it calls completed had a successful run before"
    echo "it, one it calls dead-lettered is in the DLQ), and that a batch is announced again only after its announcer died"
    echo "before recording the announcement or could not reach the ledger to record it before giving the task up; a dead"
    echo "letter a DLQ check cannot reach (behind others of its FIFO group) is counted, not excused in silence."
    echo "The test command runs 2,000 scenarios;"
    echo "\`bash tests/model.sh\` runs 10,000 (\`MODEL_SCENARIOS\`), and a failure prints its seed and the command that replays it. The fake"
    echo "clock fixes when things happen, not how the worker's threads interleave, so a rare failure may take many replays of its"
    echo "seed to show again: \`MODEL_REPEAT=1\` plays one seed \`MODEL_SCENARIOS\` times (one seen once in 100,000 scenarios failed 47"
    echo "times in 3,000 replays)."
    echo
    cat "$report"
    echo "<!-- model-suite:end -->"
  } > "$section"
  if grep -q '<!-- model-suite:begin' "$page" 2>/dev/null; then
    awk -v section="$section" '
      /<!-- model-suite:begin/ { while ((getline line < section) > 0) print line; skipping = 1; next }
      /<!-- model-suite:end -->/ { skipping = 0; next }
      !skipping { print }
    ' "$page" > "$page.new" && mv "$page.new" "$page"
  else
    { echo; cat "$section"; } >> "$page"
  fi
  rm -f "$section"
  echo "tests/model.sh: figures written to $page" >&2
fi
exit "$status"
