#!/usr/bin/env bash
# Finding a function somewhere in an organisation: ACCOUNTS accounts (default 5: the caller's
# and 4 members entered through OrganizationAccountAccessRole) x 2 regions x N functions
# (default 10), every call LATENCY_MS (default 50) away through a proxy. `lambda-ir collect NAME
# --accounts all --regions us-east-1,us-west-2` (the search, then the configuration collected
# where it is, packages, logs, metrics and CloudTrail skipped) against the responder's way with
# the aws CLI: get-function-configuration in each region of each account (role_arn profiles),
# one after another, in one interpreter (bench/run_cli_reads.py). Both are checked before their
# time counts: the case holds the function of the last member's us-west-2, and the CLI found it
# there and nowhere else. The CLI only finds it; lambda-ir also collects it.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x build/lambda-ir ] || scripts/build.sh
accounts=${ACCOUNTS:-5}
n=${N:-10}
latency=${LATENCY_MS:-50}
reps=${REPS:-3}
work=$(mktemp -d)
trap 'kill ${pids[@]} 2>/dev/null; rm -rf "$work"' EXIT
. bench/moto_servers.sh
start_slow_lambda "$latency"
expected=$(python3 bench/seed_accounts_bench.py "$moto" "$gaps" "$accounts" "$n" "$work/config")
last=$((accounts - 1))
name=$(printf 'bench-%d-fn-%02d' "$last" 1)  # odd: in us-west-2
account=$(python3 -c "import json,sys; print(json.loads(sys.argv[1])['accounts'][int(sys.argv[2])])" "$expected" "$last")
arn="arn:aws:lambda:us-west-2:$account:function:$name"
{
  for a in $(seq 0 "$last"); do
    profile=base; [ "$a" -gt 0 ] && profile=member-$a
    for region in us-east-1 us-west-2; do
      echo "aws lambda get-function-configuration --function-name $name --region $region --profile $profile --endpoint-url $slow"
    done
  done
} > "$work/reads.sh"

. bench/best_of.sh
ours=() theirs=()
for r in $(seq "$reps"); do
  start=$(date +%s.%N)
  build/lambda-ir collect "$name" --accounts all --regions us-east-1,us-west-2 --case "$work/case-$r" --skip-packages --skip-logs \
    --skip-metrics --skip-cloudtrail -q --endpoint-url "$slow" > /dev/null 2> "$work/err"
  end=$(date +%s.%N)
  python3 -c "import json,sys; c=json.load(open(sys.argv[1])); assert c['Configuration']['FunctionArn'] == sys.argv[2], c" \
    "$work/case-$r/artifacts/lambda/$name/function.json" "$arn"
  ours+=("$(seconds "$start" "$end")")
  rm -rf "$work/home" && mkdir "$work/home"  # the CLI's assumed-role cache starts empty each run
  start=$(date +%s.%N)
  counted=$(HOME="$work/home" AWS_ENDPOINT_URL="$slow" AWS_CONFIG_FILE="$work/config" AWS_ACCESS_KEY_ID= AWS_SECRET_ACCESS_KEY= python3 bench/run_cli_reads.py < "$work/reads.sh")
  end=$(date +%s.%N)
  python3 -c "import json,sys; c=json.loads(sys.argv[1]); assert c['found'] == [sys.argv[2]], c" "$counted" "$arn"
  theirs+=("$(seconds "$start" "$end")")
done
a=$(median "${ours[@]}") c=$(median "${theirs[@]}")
table="| what | wall (s) | vs aws CLI |
|---|---:|---:|
$(python3 -c "import sys; a,c=map(float,sys.argv[1:3]); print(f'| lambda-ir collect NAME --accounts all --regions (search + collect) | {a:.2f} | {c/a:.1f}x |'); print(f'| {int(sys.argv[3])} get-function-configuration with the aws CLI, one after another (search only) | {c:.2f} | 1.0x |')" "$a" "$c" "$(wc -l < "$work/reads.sh")")

- $accounts accounts x 2 regions, $n functions each; the name sought is in the last member's us-west-2. Every call crosses
  a proxy adding ${latency} ms. Median of $reps runs each, each checked first (the case holds that function; the CLI found
  it there alone). The aws CLI runs in one interpreter, members through role_arn profiles (one AssumeRole each, cached)."
echo "$table"
if [ "${1:-}" = "--record" ]; then
  {
    echo
    echo "## A function found across an organisation, $(date -u +%Y-%m-%dT%H:%MZ), $(git rev-parse --short HEAD)"
    echo
    echo "Machine: $(lscpu | sed -n 's/^Model name: *//p' | head -n1), $(nproc) cores. moto $(python3 -c 'import moto; print(moto.__version__)'), $(aws --version 2>&1 | cut -d' ' -f1). Command: \`REPS=$reps bench/run_locate_bench.sh --record\`."
    echo
    echo "$table"
  } >> bench/RESULTS.md
fi
