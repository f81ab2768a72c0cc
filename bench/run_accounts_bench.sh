#!/usr/bin/env bash
# Audit of an organisation: ACCOUNTS accounts (default 5: the caller's and 4 members entered
# through OrganizationAccountAccessRole) x 2 regions x N functions (default 40), against
# moto_server behind a proxy that adds LATENCY_MS (default 50) to every call. `lambda-ir audit
# --accounts all` with 4 accounts at once (the default) and one at a time, each with --jobs 8,
# against the same reads made with the aws CLI one after another (bench/run_cli_reads.py: one
# interpreter; members through role_arn profiles), in the same run on the same seeded state.
# Each result is checked before its time counts: audit reads every account and function, finds
# every public URL, has nothing unread; the CLI sees every function. --record appends the
# table to bench/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x build/lambda-ir ] || scripts/build.sh
accounts=${ACCOUNTS:-5}
n=${N:-40}
latency=${LATENCY_MS:-50}
reps=${REPS:-3}
work=$(mktemp -d)
trap 'kill ${pids[@]} 2>/dev/null; rm -rf "$work"' EXIT
. bench/moto_servers.sh
. bench/audit_reads.sh
start_slow_lambda "$latency"
expected=$(python3 bench/seed_accounts_bench.py "$moto" "$gaps" "$accounts" "$n" "$work/config")
ids=($(python3 -c "import json,sys; print(' '.join(json.loads(sys.argv[1])['accounts']))" "$expected"))

# The reads audit makes in each account, as aws CLI lines in the order a script would make them.
{
  echo "aws organizations list-accounts --profile base --endpoint-url $slow"
  for a in $(seq 0 $((accounts - 1))); do
    profile=base; [ "$a" -gt 0 ] && profile=member-$a
    audit_reads "--profile $profile --endpoint-url $slow" "bench-$a-fn-%02d" "$n"
  done
} > "$work/reads.sh"

check_ours() {
  python3 - "$1" "$expected" <<'PY'
import json, sys
report, expected = json.load(open(sys.argv[1])), json.loads(sys.argv[2])
public = sum(1 for f in report["findings"] if f["id"] == "lambda_config_url_public")
assert report["accounts"] == expected["accounts"], report["accounts"]
assert report["functions"] == expected["functions"], report["functions"]
assert public == expected["public_urls"], public
assert report["unread"] == [], report["unread"]
assert {f["account"] for f in report["findings"]} == set(expected["accounts"])
PY
}
. bench/best_of.sh

ours4=() ours1=() theirs=()
for _ in $(seq "$reps"); do
  for parallel in 4 1; do
    start=$(date +%s.%N)
    build/lambda-ir audit --all-functions --accounts all --account-jobs "$parallel" --regions us-east-1,us-west-2 --jobs 8 \
      --format json -q --endpoint-url "$slow" > "$work/ours.json" || [ $? -eq 1 ]
    end=$(date +%s.%N)
    check_ours "$work/ours.json"
    if [ "$parallel" = 4 ]; then ours4+=("$(seconds "$start" "$end")"); else ours1+=("$(seconds "$start" "$end")"); fi
  done
  rm -rf "$work/home" && mkdir "$work/home"  # the CLI's assumed-role cache starts empty each run
  start=$(date +%s.%N)
  counted=$(HOME="$work/home" AWS_ENDPOINT_URL="$slow" AWS_CONFIG_FILE="$work/config" AWS_ACCESS_KEY_ID= AWS_SECRET_ACCESS_KEY= python3 bench/run_cli_reads.py < "$work/reads.sh")
  end=$(date +%s.%N)
  python3 -c "import json,sys; c=json.loads(sys.argv[1]); assert c['functions'] == int(sys.argv[2]), c" "$counted" "$((n * accounts))"
  theirs+=("$(seconds "$start" "$end")")
done
a=$(median "${ours4[@]}") b=$(median "${ours1[@]}") c=$(median "${theirs[@]}")
calls=$(wc -l < "$work/reads.sh")
table="| what | wall (s) | vs aws CLI |
|---|---:|---:|
$(python3 -c "import sys; a,b,c=map(float,sys.argv[1:4]); print(f'| lambda-ir audit --accounts all, 4 accounts at once | {a:.2f} | {c/a:.1f}x |'); print(f'| lambda-ir audit --accounts all, --account-jobs 1 | {b:.2f} | {c/b:.1f}x |'); print(f'| the same {int(sys.argv[4])} reads, aws CLI one after another | {c:.2f} | 1.0x |')" "$a" "$b" "$c" "$calls")

- $accounts accounts (the caller's and $((accounts - 1)) members entered through OrganizationAccountAccessRole), $n functions each
  (half in us-east-1, half in us-west-2), a URL and a public statement on every third; every call crosses a proxy adding
  ${latency} ms. --jobs 8 in each account. Median of $reps runs each, each checked first: audit reads all $accounts accounts and
  $((n * accounts)) functions, finds every public URL and has nothing unread; the CLI script sees all $((n * accounts)) functions.
- The aws CLI runs in one Python interpreter (no per-command start, which favours it), members through role_arn profiles
  (one AssumeRole each, cached; AWS_ENDPOINT_URL sends that to the proxy too)."
echo "$table"
if [ "${1:-}" = "--record" ]; then
  {
    echo
    echo "## Audit of an organisation, $(date -u +%Y-%m-%dT%H:%MZ), $(git rev-parse --short HEAD)"
    echo
    echo "Machine: $(lscpu | sed -n 's/^Model name: *//p' | head -n1), $(nproc) cores. moto $(python3 -c 'import moto; print(moto.__version__)'), $(aws --version 2>&1 | cut -d' ' -f1). Command: \`REPS=$reps bench/run_accounts_bench.sh --record\`."
    echo
    echo "$table"
  } >> bench/RESULTS.md
fi
