# The local SQS server (fauxqs) for tests/run.sh, tests/benchmarks.sh and tests/aot.sh: sourced, not run.
#
# Before sourcing, set tests_dir (this folder) and sqs_server_caller (the name messages start with).
# install_server runs npm ci in tests/ when needed; start_server starts fauxqs on a free loopback port,
# waits for GET /health and exports TASKQUEUE_SQS_ENDPOINT (server_pid holds its process id);
# stop_server, meant for an EXIT trap, stops it and keeps its log only when the run failed.

# shellcheck source=local-servers.sh
source "$tests_dir/local-servers.sh"

server_pid=""
# Per run, so that runs in parallel (several checkouts' engineers, CI jobs) never read each other's port.
server_log="$server_dir/fauxqs-$$.log"
port_file="$server_dir/fauxqs-$$.port"

# On EXIT: stop the server and wait for it; keep its log only when something failed (the status given, else $?).
stop_server() {
  local status=${1:-$?}
  halt_server "the local SQS server" "$server_pid" "$server_log" "$port_file" "$status"
  server_pid=""
}

# fauxqs's own CLI listens on every interface with logging forced on, so start its app on loopback instead.
# fauxqs-receive-digest.mjs mends the attribute digest of receives that name some message attributes.
start_server() {
  launch_server "local SQS server (fauxqs)" "$server_log" "$port_file" /health '
    import { writeFileSync } from "node:fs";
    import { buildApp } from "fauxqs";
    import { digestReturnedAttributes } from "./fauxqs-receive-digest.mjs";
    const app = buildApp({ logger: process.env.FAUXQS_LOGGER === "true" });
    digestReturnedAttributes(app);
    await app.listen({ host: "127.0.0.1", port: Number(process.env.FAUXQS_PORT ?? 0) });
    writeFileSync(process.env.SERVER_PORT_FILE, String(app.server.address().port));
    console.log(`fauxqs listening on 127.0.0.1:${app.server.address().port}`);
  '
  server_pid="$launched_pid"
  export TASKQUEUE_SQS_ENDPOINT="$launched_endpoint"
}
