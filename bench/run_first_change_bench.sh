#!/usr/bin/env bash
# Time to the first effective containment change: `contain` of a function with 20 published
# versions and a 10 MB deployment package (21 packages to download into the snapshot), against
# moto_server. The loopback control proxy (tests/servers/control_proxy.py) in front records
# when each call arrived and when its answer left; the packages are served by the package
# proxy (tests/servers/code_location_proxy.py), since moto's Code.Location is not downloadable.
# Reported: when reserved concurrency 0 landed, counted from the first call (the caller's
# identity), against the function read before it, the put's own round trip, and the whole
# contain (snapshot with every package included). Checked before it counts: reserved
# concurrency 0, and 21 packages verified against CodeSha256 in a case that verifies.
# --record appends the table to bench/RESULTS.md. REPS (default 3) runs; the median is reported.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x build/lambda-ir ] || scripts/build.sh
reps=${REPS:-3}
out=$(mktemp -d)
pids=()
trap 'kill ${pids[@]} 2>/dev/null; rm -rf "$out"' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
start_server() {  # port-file command... -> waits for its port
  local file=$1; shift
  "$@" > "$file" &
  pids+=($!)
  for _ in $(seq 100); do [ -s "$file" ] && break; sleep 0.05; done
}
port=$(free_port)
moto_server -H 127.0.0.1 -p "$port" > /dev/null 2>&1 &
pids+=($!)
moto=http://127.0.0.1:$port
for _ in $(seq 100); do python3 -c "import socket; socket.create_connection(('127.0.0.1', $port))" 2>/dev/null && break; sleep 0.1; done
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
start_server "$out/packages.port" python3 tests/servers/code_location_proxy.py "$moto" "$out"
packages=http://127.0.0.1:$(head -n1 "$out/packages.port")
start_server "$out/control.port" python3 tests/servers/control_proxy.py "$packages"
control=http://127.0.0.1:$(head -n1 "$out/control.port")

rows=()
for rep in $(seq "$reps"); do
  curl -s -X POST "$moto/moto-api/reset" > /dev/null
  python3 bench/seed_collect_bench.py "$moto" "$out" > /dev/null
  aws lambda put-function-concurrency --function-name bench-fn --reserved-concurrent-executions 5 --endpoint-url "$moto" > /dev/null
  curl -s -X POST "$control/_proxy/reset" > /dev/null
  rm -rf "$out/case"
  t0=$(date +%s.%N)
  build/lambda-ir contain bench-fn --case "$out/case" --yes --steps throttle --endpoint-url "$control" > "$out/contain.log" 2>&1 ||
    { cat "$out/contain.log"; exit 1; }
  t1=$(date +%s.%N)
  # Checked first: throttled, every package in the case and verified, the case intact.
  reserved=$(aws lambda get-function-concurrency --function-name bench-fn --endpoint-url "$moto" --query ReservedConcurrentExecutions)
  [ "$reserved" = 0 ] || { echo "not throttled: $reserved" >&2; exit 1; }
  [ "$(grep -c package-verified "$out/case/custody.log")" = 21 ] || { echo "not 21 verified packages" >&2; exit 1; }
  build/lambda-ir verify "$out/case" > /dev/null || { echo "the case does not verify" >&2; exit 1; }
  curl -s -X POST "$control/_proxy/timeline" > "$out/timeline.json"
  rows+=("$(python3 - "$out/timeline.json" "$t0" "$t1" <<'PY'
import json, sys
timeline = json.load(open(sys.argv[1]))
t0, t1 = float(sys.argv[2]), float(sys.argv[3])
first = min(e["start"] for e in timeline)
get = next(e for e in timeline if e["action"] == "lambda:GetFunction")
put = next(e for e in timeline if e["action"] == "lambda:PutFunctionConcurrency" and e["status"] == 200)
print(json.dumps({"throttled": put["end"] - first, "get": get["end"] - first, "put_rtt": put["end"] - put["start"],
                  "after_get": put["end"] - get["end"], "total": t1 - t0, "calls_before": sum(1 for e in timeline if e["start"] < put["start"])}))
PY
)")
done
table=$(python3 - "${rows[@]}" <<'PY'
import json, statistics, sys
runs = [json.loads(r) for r in sys.argv[1:]]
med = lambda k: statistics.median(r[k] for r in runs) * 1000
print("| measure | ms (median of %d) |" % len(runs))
print("|---|---:|")
print(f"| reserved concurrency 0 landed, from the first call | {med('throttled'):.0f} |")
print(f"| the function read (GetFunction) answered, from the first call | {med('get'):.0f} |")
print(f"| reserved 0 after that read | {med('after_get'):.0f} |")
print(f"| PutFunctionConcurrency's own round trip | {med('put_rtt'):.0f} |")
print(f"| whole contain: snapshot of 21 versions with 21 x 10 MB packages, journal, process | {med('total'):.0f} |")
print(f"\nCalls that started before the put: {sorted(r['calls_before'] for r in runs)} (the caller's identity, the function, "
      "and those the snapshot and the provisioned-concurrency list started beside it).")
PY
)
echo "$table"
if [ "${1:-}" = "--record" ]; then
  {
    echo
    echo "## First containment change, $(date -u +%Y-%m-%dT%H:%MZ), $(git rev-parse --short HEAD)"
    echo
    echo "Machine: $(lscpu | sed -n 's/^Model name: *//p' | head -n1), $(nproc) cores. moto $(python3 -c 'import moto; print(moto.__version__)')."
    echo "bench/run_first_change_bench.sh: contain of a function with 20 versions and 10 MB packages, through the control proxy."
    echo
    echo "$table"
  } >> bench/RESULTS.md
fi
