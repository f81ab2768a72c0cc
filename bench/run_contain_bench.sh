#!/usr/bin/env bash
# Time to contain 1 and 20 functions against moto_server (provisioned concurrency through the
# loopback proxy, moto lacks it): `lambda-ir contain` (configuration snapshot, journal and
# all) against the runbook's aws CLI sequence (bench/runbook_contain.sh, one function after
# another, as a responder's script runs it), in the same run on the same seeded state. Each
# result is checked (bench/check_contained.py) before its time is reported.
# --record appends the table to bench/RESULTS.md. REPS (default 3) runs per tool and size;
# the median is reported.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x build/lambda-ir ] || scripts/build.sh
reps=${REPS:-3}
sizes=${SIZES:-"1 20"}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free_port)
moto_server -H 127.0.0.1 -p "$port" > /dev/null 2>&1 &
pids=($!)
proxy_pid=
trap 'kill ${pids[@]} $proxy_pid 2>/dev/null' EXIT
moto=http://127.0.0.1:$port
for _ in $(seq 100); do python3 -c "import socket; socket.create_connection(('127.0.0.1', $port))" 2>/dev/null && break; sleep 0.1; done
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
work=$(mktemp -d)

# A fresh world: moto reset, a new proxy (its provisioned configs are in memory), N functions.
reseed() {
  curl -s -X POST "$moto/moto-api/reset" > /dev/null
  [ -n "$proxy_pid" ] && kill "$proxy_pid" 2>/dev/null && wait "$proxy_pid" 2>/dev/null || true
  python3 tests/servers/lambda_gaps_proxy.py "$moto" > "$work/proxy.port" &
  proxy_pid=$!
  for _ in $(seq 100); do [ -s "$work/proxy.port" ] && break; sleep 0.05; done
  proxy=http://127.0.0.1:$(head -n1 "$work/proxy.port")
  functions=$(python3 bench/seed_contain_bench.py "$moto" "$proxy" "$1" | python3 -c 'import json,sys; print(" ".join(json.load(sys.stdin)))')
}

. bench/best_of.sh

rows=""
for n in $sizes; do
  ours=() theirs=()
  for rep in $(seq "$reps"); do
    reseed "$n"
    rm -rf "$work/case"
    start=$(date +%s.%N)
    # shellcheck disable=SC2086
    build/lambda-ir contain $functions --case "$work/case" --skip-packages --yes --endpoint-url "$proxy" > "$work/ours.log" 2>&1
    end=$(date +%s.%N)
    # shellcheck disable=SC2086
    python3 bench/check_contained.py "$proxy" $functions > /dev/null || { cat "$work/ours.log"; exit 1; }
    ours+=("$(seconds "$start" "$end")")

    reseed "$n"
    start=$(date +%s.%N)
    for fn in $functions; do bench/runbook_contain.sh "$fn" "$proxy" > "$work/runbook.log" 2>&1; done
    end=$(date +%s.%N)
    # shellcheck disable=SC2086
    python3 bench/check_contained.py "$proxy" $functions > /dev/null
    theirs+=("$(seconds "$start" "$end")")
  done
  a=$(median "${ours[@]}") b=$(median "${theirs[@]}")
  rows+=$(python3 -c "import sys; n,a,b=sys.argv[1:]; print(f'| {n} | {float(a):.2f} | {float(b):.2f} | {float(b)/float(a):.1f}x |')" "$n" "$a" "$b")$'\n'
done
table="| functions | lambda-ir contain (s) | aws CLI runbook (s) | speed-up |
|---:|---:|---:|---:|
${rows}
- Median of $reps runs each; every run starts from a freshly seeded moto_server and is checked
  (reserved 0, no provisioned concurrency, mappings Disabled, deny-all on the role) before it counts.
- lambda-ir's time includes what the runbook script does not do: the configuration snapshot of
  each function into the case (about 20 calls each), the journal (SQLite, synchronous=FULL) and
  the plan reads. Both go through the same loopback provisioned-concurrency proxy in front of moto."
echo "$table"
if [ "${1:-}" = "--record" ]; then
  {
    echo
    echo "## Containment, $(date -u +%Y-%m-%dT%H:%MZ), $(git rev-parse --short HEAD)"
    echo
    echo "Machine: $(lscpu | sed -n 's/^Model name: *//p' | head -n1), $(nproc) cores. moto $(python3 -c 'import moto; print(moto.__version__)'), $(aws --version 2>&1 | cut -d' ' -f1)."
    echo
    echo "$table"
  } >> bench/RESULTS.md
fi
rm -rf "$work"
# And the time to the first effective change, with a snapshot of 20 versions and 10 MB packages.
REPS=$reps bench/run_first_change_bench.sh "$@"
