#!/usr/bin/env bash
# AWS client overhead: the same GetFunctionConfiguration call made by lambda-ir's client
# (sequential, and 8 in flight), by boto3 in one process, and by the aws CLI (one process
# per call, as a runbook script does), against one local moto_server in the same run.
# Each tool's answer is checked first. --record appends the table to bench/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x build/bench/lir_aws_bench ] || scripts/build.sh
calls=${CALLS:-300}
cli_calls=${CLI_CALLS:-10}
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
moto_server -H 127.0.0.1 -p "$port" > /dev/null 2>&1 &
moto_pid=$!
trap 'kill $moto_pid 2>/dev/null' EXIT
endpoint=http://127.0.0.1:$port
for _ in $(seq 100); do python3 -c "import socket; socket.create_connection(('127.0.0.1', $port))" 2>/dev/null && break; sleep 0.1; done
python3 tests/seed_moto.py "$endpoint" > /dev/null
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true

ours=$(build/bench/lir_aws_bench "$endpoint" "$calls" 8)
boto=$(python3 - "$endpoint" "$calls" <<'PY'
import json, sys, time, boto3
client = boto3.client("lambda", endpoint_url=sys.argv[1])
n = int(sys.argv[2])
assert client.get_function_configuration(FunctionName="payments")["FunctionName"] == "payments"
t = time.perf_counter()
for _ in range(n):
    assert client.get_function_configuration(FunctionName="payments")["FunctionName"] == "payments"
print(json.dumps({"seconds": time.perf_counter() - t}))
PY
)
aws lambda get-function-configuration --function-name payments --endpoint-url "$endpoint" --query FunctionName --output text | grep -qx payments
start=$(date +%s.%N)
for _ in $(seq "$cli_calls"); do
  aws lambda get-function-configuration --function-name payments --endpoint-url "$endpoint" --output json > /dev/null
done
end=$(date +%s.%N)

table=$(python3 - "$ours" "$boto" "$start" "$end" "$calls" "$cli_calls" <<'PY'
import json, sys
ours, boto = json.loads(sys.argv[1]), json.loads(sys.argv[2])
start, end, n, cli_n = float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
rows = [("lambda-ir client, sequential", ours["sequential_s"] / n),
        (f"lambda-ir client, {ours['threads']} in flight", ours["concurrent_s"] / n),
        ("boto3, one process, sequential", boto["seconds"] / n),
        ("aws CLI, one process per call", (end - start) / cli_n)]
print("| client | ms per GetFunctionConfiguration |\n|---|---:|")
for name, s in rows:
    print(f"| {name} | {s * 1000:.2f} |")
print(f"\n- {n} calls each ({cli_n} for the aws CLI) against one moto_server on loopback; moto's own time is in every row.")
PY
)
echo "$table"
if [ "${1:-}" = "--record" ]; then
  {
    echo
    echo "## AWS client overhead, $(date -u +%Y-%m-%dT%H:%MZ), $(git rev-parse --short HEAD)"
    echo
    echo "Machine: $(lscpu | sed -n 's/^Model name: *//p' | head -n1), $(nproc) cores. moto $(python3 -c 'import moto; print(moto.__version__)')."
    echo
    echo "$table"
  } >> bench/RESULTS.md
fi
