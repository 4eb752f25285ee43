# The local DynamoDB server (dynalite) for tests/run.sh: sourced, not run.
#
# Before sourcing, set tests_dir (this folder) and sqs_server_caller (the name messages start with).
# install_server (local-servers.sh) installs it with the SQS server; start_dynamodb_server starts it in memory on a
# free loopback port with tables ACTIVE at once, waits until it answers and exports TASKQUEUE_DYNAMODB_ENDPOINT;
# stop_dynamodb_server, meant for an EXIT trap, stops it and keeps its log only when the run failed.

# shellcheck source=local-servers.sh
source "$tests_dir/local-servers.sh"

dynamodb_pid=""
dynamodb_log="$server_dir/dynalite-$$.log"
dynamodb_port_file="$server_dir/dynalite-$$.port"

# On EXIT: stop the server and wait for it; keep its log only when something failed (the status given, else $?).
stop_dynamodb_server() {
  local status=${1:-$?}
  halt_server "the local DynamoDB server" "$dynamodb_pid" "$dynamodb_log" "$dynamodb_port_file" "$status"
  dynamodb_pid=""
}

# On EXIT of a script that sourced sqs-server.sh too: stop both servers.
stop_servers() {
  local status=$?
  stop_dynamodb_server "$status"
  stop_server "$status"
}

# dynalite's CLI cannot take port 0 (it reads 0 as "use 4567"), so its server factory is started here instead.
# Its GET / answers "healthy".
start_dynamodb_server() {
  launch_server "local DynamoDB server (dynalite)" "$dynamodb_log" "$dynamodb_port_file" / '
    import { writeFileSync } from "node:fs";
    import dynalite from "dynalite";
    const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    server.listen(0, "127.0.0.1", () => {
      writeFileSync(process.env.SERVER_PORT_FILE, String(server.address().port));
      console.log(`dynalite listening on 127.0.0.1:${server.address().port}`);
    });
  '
  dynamodb_pid="$launched_pid"
  export TASKQUEUE_DYNAMODB_ENDPOINT="$launched_endpoint"
}
