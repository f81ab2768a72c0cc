# Sourced by the bench scripts that run against moto_server. start_moto: a moto_server on a free
# loopback port ($moto), the fake credentials exported. start_slow_lambda MS: start_moto, the
# lambda-gaps proxy before it ($gaps) and a proxy adding MS to every call before that ($slow). start_server VAR COMMAND...: a
# tests/servers helper (it prints its port first), its URL put in VAR. Both add to $pids, which
# the script's EXIT trap kills; $work is the script's scratch directory. No command
# substitution: a server started in a subshell would escape $pids and outlive the bench.
pids=()
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
start_moto() {
  local port
  port=$(free_port)
  moto_server -H 127.0.0.1 -p "$port" > /dev/null 2>&1 &
  pids+=($!)
  moto=http://127.0.0.1:$port
  for _ in $(seq 100); do python3 -c "import socket; socket.create_connection(('127.0.0.1', $port))" 2>/dev/null && break; sleep 0.1; done
  export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true AWS_PAGER=
}
start_slow_lambda() {
  start_moto
  start_server gaps python3 tests/servers/lambda_gaps_proxy.py "$moto"
  start_server slow python3 tests/servers/latency_proxy.py "$gaps" "$1"
}
start_server() {
  local var=$1
  shift
  "$@" > "$work/port" &
  pids+=($!)
  for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.05; done
  [ -s "$work/port" ] || { echo "bench: $* did not print its port" >&2; exit 1; }
  printf -v "$var" 'http://127.0.0.1:%s' "$(head -n1 "$work/port")"
  rm -f "$work/port"
}
