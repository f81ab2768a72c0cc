#!/usr/bin/env bash
# Audit of N functions (default 200) across two regions against moto_server behind a proxy that
# adds LATENCY_MS (default 50) to every call, as a real region's round trip: `lambda-ir audit`
# (concurrent reads, --jobs 16, 8 and 1) against the same reads done one after another with
# the aws CLI (bench/run_cli_reads.py: one interpreter, so no process start is counted), in the
# same run on the same seeded state. Each result is checked before its time counts: audit must
# list every function and find every public URL, with nothing unread; the CLI script must see
# every function and every call must answer. --record appends the table to bench/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x build/lambda-ir ] || scripts/build.sh
n=${N:-200}
latency=${LATENCY_MS:-50}
reps=${REPS:-3}
work=$(mktemp -d)
trap 'kill ${pids[@]} 2>/dev/null; rm -rf "$work"' EXIT
. bench/moto_servers.sh
. bench/audit_reads.sh
start_slow_lambda "$latency"
expected=$(python3 bench/seed_audit_bench.py "$moto" "$gaps" "$n")

# The reads audit makes, as aws CLI lines in the order a script would make them.
audit_reads "--endpoint-url $slow" "bench-fn-%03d" "$n" > "$work/reads.sh"

check_ours() {
  python3 - "$1" "$expected" <<'PY'
import json, sys
report, expected = json.load(open(sys.argv[1])), json.loads(sys.argv[2])
public = sum(1 for f in report["findings"] if f["id"] == "lambda_config_url_public")
assert report["functions"] == expected["functions"], report["functions"]
assert public == expected["public_urls"], public
assert report["unread"] == [], report["unread"]
PY
}
. bench/best_of.sh

ours16=() ours8=() ours1=() theirs=()
for _ in $(seq "$reps"); do
  for jobs in 16 8 1; do
    start=$(date +%s.%N)
    build/lambda-ir audit --all-functions --regions us-east-1,us-west-2 --jobs "$jobs" --format json --endpoint-url "$slow" > "$work/ours.json" || [ $? -eq 1 ]
    end=$(date +%s.%N)
    check_ours "$work/ours.json"
    case "$jobs" in
      16) ours16+=("$(seconds "$start" "$end")") ;;
      8) ours8+=("$(seconds "$start" "$end")") ;;
      *) ours1+=("$(seconds "$start" "$end")") ;;
    esac
  done
  start=$(date +%s.%N)
  counted=$(python3 bench/run_cli_reads.py < "$work/reads.sh")
  end=$(date +%s.%N)
  python3 -c "import json,sys; c=json.loads(sys.argv[1]); assert c['functions'] == int(sys.argv[2]), c" "$counted" "$n"
  theirs+=("$(seconds "$start" "$end")")
done
s=$(median "${ours16[@]}") a=$(median "${ours8[@]}") b=$(median "${ours1[@]}") c=$(median "${theirs[@]}")
calls=$(wc -l < "$work/reads.sh")
table="| what | wall (s) | vs aws CLI |
|---|---:|---:|
$(python3 -c "import sys; s,a,b,c=map(float,sys.argv[1:5]); print(f'| lambda-ir audit, --jobs 16 | {s:.2f} | {c/s:.1f}x |'); print(f'| lambda-ir audit, --jobs 8 | {a:.2f} | {c/a:.1f}x |'); print(f'| lambda-ir audit, --jobs 1 | {b:.2f} | {c/b:.1f}x |'); print(f'| the same {int(sys.argv[5])} reads, aws CLI one after another | {c:.2f} | 1.0x |')" "$s" "$a" "$b" "$c" "$calls")

- $n functions (half in us-east-1, half in us-west-2), $(((n + 9) / 10)) roles, a URL and a public statement on every third
  function; every call crosses a proxy adding ${latency} ms. Median of $reps runs each, each checked first: audit lists
  all $n functions, finds every public URL and has nothing unread; the CLI script sees all $n functions and every call answers.
- The aws CLI runs in one Python interpreter (no per-command start, which favours it); audit also reads the log groups
  and managed policies the script skips when there are none."
echo "$table"
if [ "${1:-}" = "--record" ]; then
  {
    echo
    echo "## Audit, $(date -u +%Y-%m-%dT%H:%MZ), $(git rev-parse --short HEAD)"
    echo
    echo "Machine: $(lscpu | sed -n 's/^Model name: *//p' | head -n1), $(nproc) cores. moto $(python3 -c 'import moto; print(moto.__version__)'), $(aws --version 2>&1 | cut -d' ' -f1). Command: \`bench/run_audit_bench.sh --record\`."
    echo
    echo "$table"
  } >> bench/RESULTS.md
fi
