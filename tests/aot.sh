#!/usr/bin/env bash
# The Native AOT check and its figures: bash tests/aot.sh [--tasks N]
#
# Publishes samples/TaskQueue.Samples.WorkerService twice, as a Native AOT binary (PublishAot, as the project sets it)
# and framework-dependent (JIT), starts the local SQS server as tests/run.sh does (unless TASKQUEUE_SQS_ENDPOINT names
# another), and for each: creates a queue, enqueues N entities' `ocr` and `yearBuilt` tasks with the CLI, runs the
# sample until every task is done, stops it with SIGTERM and checks that it exited cleanly and that the queue and its
# DLQ are empty, and that the sample's listener printed each entity's completion, published on an SNS FIFO topic and
# delivered to its subscribed queue. Prints, for both, the time from start to the first task done and to the last, the
# peak RSS (VmHWM) and the size on disk, as a markdown block for docs/BENCHMARKS.md. Not part of the test command: the AOT publish
# alone takes a minute or two on 2 cores. Native AOT needs clang (or gcc) and zlib's headers, as the .NET SDK documents.
set -euo pipefail

tasks=20
while [[ $# -gt 0 ]]; do
  case "$1" in
    --tasks) tasks="$2"; shift 2 ;;
    *) echo "tests/aot.sh: unknown argument '$1': use --tasks N" >&2; exit 2 ;;
  esac
done

tests_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_dir="$(dirname "$tests_dir")"
sqs_server_caller="tests/aot.sh"
# shellcheck source=sqs-server.sh
source "$tests_dir/sqs-server.sh"

out_dir="$(mktemp -d)"
worker_pid=""
stop_all() {
  local status=$?
  if [[ -n "$worker_pid" ]]; then
    kill -KILL "$worker_pid" 2>/dev/null || true
    wait "$worker_pid" 2>/dev/null || true
  fi
  rm -rf "$out_dir"
  (exit "$status")
  stop_server
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

sample="$repo_dir/samples/TaskQueue.Samples.WorkerService/TaskQueue.Samples.WorkerService.csproj"
echo "tests/aot.sh: publishing the worker-service sample: Native AOT, then framework-dependent (JIT)..." >&2
dotnet publish "$sample" -c Release --nologo -v quiet -o "$out_dir/aot" >&2
dotnet publish "$sample" -c Release --nologo -v quiet -p:PublishAot=false -o "$out_dir/jit" >&2
dotnet build "$repo_dir/src/TaskQueue.Cli/TaskQueue.Cli.csproj" -c Release --nologo -v quiet -o "$out_dir/cli" >&2

if [[ -z "${TASKQUEUE_SQS_ENDPOINT:-}" ]]; then
  mkdir -p "$server_dir"
  install_server
  start_server
fi
endpoint="$TASKQUEUE_SQS_ENDPOINT"
# A local server takes any credentials; the sample reads them from the SDK's chain like any AWS service.
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-local}" AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-local}"

cli() { dotnet "$out_dir/cli/TaskQueue.Cli.dll" --endpoint "$endpoint" "$@"; }

bytes_of() { du -sb --exclude='*.pdb' --exclude='*.dbg' --exclude='*.xml' "$1" | cut -f1; }

# run_sample NAME COMMAND...: one measured run on a fresh queue; sets start_ms, first_ms, last_ms, peak_kb.
run_sample() {
  local name="$1"; shift
  local queue
  queue="aot-$name-$$"
  cli queues create "$queue" --max-receive-count 3 >/dev/null
  local entities=()
  for i in $(seq "$tasks"); do
    cli enqueue "$queue" "doc-$i" ocr yearBuilt --config '{"language": "en"}' >/dev/null &
    entities+=($!)
  done
  for pid in "${entities[@]}"; do wait "$pid"; done
  local queue_url
  queue_url="$(cli --json queues list --prefix "$queue" | grep -o 'http[^"]*\.fifo' | grep -v -- '-dlq' | head -n 1)"

  local log="$out_dir/$name.log"
  local start=$EPOCHREALTIME
  # Every line stamped as it arrives (no fork per line), so the first task's end is timed from the process start.
  TaskQueue__QueueUrl="$queue_url" TaskQueue__ServiceUrl="$endpoint" AWS_ENDPOINT_URL_SQS="$endpoint" \
    AWS_ENDPOINT_URL_SNS="$endpoint" EntityEvents__TopicName="$queue-events.fifo" EntityEvents__ListenerQueueName="$queue-listener.fifo" \
    TaskQueueWorker__ReceiveWaitTime=00:00:02 "$@" \
    > >(while IFS= read -r line; do printf '%s %s\n' "$EPOCHREALTIME" "$line"; done >"$log") 2>&1 &
  worker_pid=$!

  local done_count=0 deadline=$((SECONDS + 120))
  while (( done_count < 2 * tasks )); do
    (( SECONDS < deadline )) || fail "$name: only $done_count of $((2 * tasks)) tasks done after 120 s (log: $log)."
    kill -0 "$worker_pid" 2>/dev/null || { tail -n 30 "$log" >&2; fail "$name: the sample exited before its tasks were done."; }
    sleep 0.05
    done_count=$(grep -cE 'OCR of doc-[0-9]+ done|yearBuilt of doc-[0-9]+ \(attempt' "$log" || true)
  done
  # Each entity's batch completes once; the listener prints the event its queue received from the topic.
  local events=0 events_deadline=$((SECONDS + 60))
  while (( events < tasks )); do
    (( SECONDS < events_deadline )) || fail "$name: only $events of $tasks entity.completed events printed after 60 s (log: $log)."
    sleep 0.05
    events=$(grep -c 'entity event entity.completed of doc-' "$log" || true)
  done
  peak_kb=$(awk '/^VmHWM:/ { print $2 }' "/proc/$worker_pid/status")
  kill -TERM "$worker_pid"
  local code=0
  wait "$worker_pid" || code=$?
  worker_pid=""
  [[ "$code" -eq 0 ]] || { tail -n 30 "$log" >&2; fail "$name: the sample exited with $code on SIGTERM."; }
  # The console exporter printed the spans, and the metrics on shutdown: OpenTelemetry works in this build too.
  # (The line stamper may still be writing the last lines: give it a moment.)
  for _ in $(seq 50); do grep -q 'taskqueue.tasks.succeeded' "$log" && break; sleep 0.1; done
  grep -q 'Activity.DisplayName:' "$log" || fail "$name: no span printed by the OpenTelemetry console exporter (log: $log)."
  grep -q 'taskqueue.tasks.succeeded' "$log" || fail "$name: no metric printed by the OpenTelemetry console exporter (log: $log)."

  local first last
  first=$(grep -m1 -E 'OCR of doc-[0-9]+ done|yearBuilt of doc-[0-9]+ \(attempt' "$log" | cut -d' ' -f1)
  last=$(grep -E 'OCR of doc-[0-9]+ done|yearBuilt of doc-[0-9]+ \(attempt' "$log" | tail -n 1 | cut -d' ' -f1)
  first_ms=$(awk -v a="$start" -v b="$first" 'BEGIN { printf "%.0f", (b - a) * 1000 }')
  last_ms=$(awk -v a="$start" -v b="$last" 'BEGIN { printf "%.0f", (b - a) * 1000 }')

  # Every task deleted on success, none dead-lettered.
  local status
  status="$(cli --json status "$queue")"
  for field in available inFlight delayed deadLetters; do
    if grep -qE "\"$field\": *[1-9]" <<<"$status"; then
      fail "$name: the queue is not empty after the run: $status"
    fi
  done
  echo "tests/aot.sh: $name: $((2 * tasks)) tasks done, queue and DLQ empty, $tasks entity.completed events received through SNS" >&2
}

run_sample jit "$out_dir/jit/TaskQueue.Samples.WorkerService"
jit_first=$first_ms jit_last=$last_ms jit_peak=$peak_kb
run_sample aot "$out_dir/aot/TaskQueue.Samples.WorkerService"
aot_first=$first_ms aot_last=$last_ms aot_peak=$peak_kb
jit_size=$(bytes_of "$out_dir/jit")
aot_size=$(stat -c %s "$out_dir/aot/TaskQueue.Samples.WorkerService")

mb() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1000000 }'; }
cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
os="$(. /etc/os-release && echo "$PRETTY_NAME")"
cat <<EOF

Measured $(date -u '+%Y-%m-%d %H:%M UTC') by \`bash tests/aot.sh --tasks $tasks\` on $(nproc) cores ($cpu), $os,
.NET SDK $(dotnet --version), against the local SQS server on loopback. The worker-service sample (Generic Host,
OpenTelemetry console exporter, health checks, configuration bound from appsettings.json and the environment), started
with $tasks entities' \`ocr\` (500 ms) and \`yearBuilt\` tasks already queued, run until all $((2 * tasks)) are done.

| | JIT (framework-dependent publish) | Native AOT |
| --- | ---: | ---: |
| start to first task done | ${jit_first} ms | ${aot_first} ms |
| start to last task done | ${jit_last} ms | ${aot_last} ms |
| peak RSS (VmHWM) | $(mb $((jit_peak * 1024))) | $(mb $((aot_peak * 1024))) |
| size on disk | $(mb "$jit_size") (the app's files; the shared .NET runtime besides) | $(mb "$aot_size") (one file, no runtime needed) |
EOF
