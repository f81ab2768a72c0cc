#!/usr/bin/env bash
# One large CloudTrail file (1 GiB decoded, gzip): lambda-ir analyze, which reads a document
# over 16 MiB record by record, against `zcat | jq`, which holds the whole document, on the same
# file in the same run. Both must find the one AddPermission among 3.9 M records before their
# time and peak RSS are reported.
#
#   bench/run_large_file_bench.sh [--record]
#
# --record appends the table and the machine description to bench/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
record=0
[ "${1:-}" = --record ] && record=1
bin=build/lambda-ir
[ -x "$bin" ] || scripts/build.sh
out=bench/out
mkdir -p "$out"
file=$out/large-trail.json.gz
if [ ! -f "$file" ]; then
  # Gzip members concatenate: one compressed MiB of S3 reads written 1024 times, the finding last.
  python3 - "$file" <<'PY'
import gzip, json, sys
benign = json.dumps({"eventVersion": "1.08", "eventTime": "2026-11-27T00:00:00Z", "eventSource": "s3.amazonaws.com",
                     "eventName": "GetObject", "awsRegion": "us-east-1", "sourceIPAddress": "10.0.0.1",
                     "userAgent": "aws-sdk-go", "requestParameters": {"bucketName": "app-data", "key": "objects/0001"},
                     "eventID": "b", "readOnly": True, "recipientAccountId": "123456789012",
                     "userIdentity": {"type": "AssumedRole", "arn": "arn:aws:sts::123456789012:assumed-role/app/i-1",
                                      "accountId": "123456789012"}}, separators=(",", ":")) + ","
chunk = gzip.compress((benign * (1048576 // len(benign) + 1)).encode())
finding = open("rules/lambda_permission_public/tests/match/01.json", "rb").read()
with open(sys.argv[1], "wb") as f:
    f.write(gzip.compress(b'{"Records":['))
    for _ in range(1024):
        f.write(chunk)
    f.write(gzip.compress(json.dumps(json.loads(finding)).encode() + b"]}"))
PY
fi

echo "checking answers..." >&2
"$bin" analyze "$file" --format json --jobs 1 --out "$out/large-report.json" --force
ours=$(python3 -c "import json;d=json.load(open('$out/large-report.json'));print(sorted(f['rule_id'] for f in d['findings']), d['stats']['events'], d['stats']['bytes'])")
# The new principal's change is told too, at info: the evidence holds no day before it.
expected="['lambda_change_by_new_principal', 'lambda_permission_added', 'lambda_permission_public']"
case "$ours" in
  "$expected "*) ;;
  *) echo "lambda-ir found $ours, expected $expected: refusing to time" >&2; exit 1 ;;
esac
jq_filter='[.Records[] | select(.eventName | startswith("AddPermission"))] | length'
theirs=$(zcat "$file" | jq "$jq_filter")
[ "$theirs" = 1 ] || { echo "jq found $theirs AddPermission records, expected 1: refusing to time" >&2; exit 1; }
read -r events bytes <<< "$(echo "$ours" | sed 's/.*\] //')"
echo "ok: both find the one AddPermission among $events events" >&2

echo "timing..." >&2
. bench/best_of.sh
read -r ours_s ours_kb < <(best 3 "$bin" analyze "$file" --jobs 1 --format json --out /dev/null)
read -r jq_s jq_kb < <(best 1 sh -c "zcat $file | jq '$jq_filter'")

table=$(python3 - "$bytes" "$ours_s" "$ours_kb" "$jq_s" "$jq_kb" <<'PY'
import sys
b = int(sys.argv[1])
o_s, o_kb, j_s, j_kb = map(float, sys.argv[2:])
print("| command | seconds | peak RSS MB | peak RSS / decoded size |")
print("|---|---:|---:|---:|")
print(f"| lambda-ir analyze --jobs 1 (all rules) | {o_s:.2f} | {o_kb / 1024:.0f} | {o_kb * 1024 / b:.2f} |")
print(f"| zcat \\| jq (AddPermission count only) | {j_s:.2f} | {j_kb / 1024:.0f} | {j_kb * 1024 / b:.2f} |")
PY
)
echo
echo "1 file, $bytes bytes decoded, $events events"
echo
echo "$table"
if [ "$record" = 1 ]; then
  {
    echo
    echo "## Large file, $(date -u +%Y-%m-%dT%H:%MZ), $(git rev-parse --short HEAD)"
    echo
    echo "Machine: $(lscpu | sed -n 's/^Model name: *//p' | head -n1), $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB."
    echo "File: bench/run_large_file_bench.sh (1024 gzip members of S3 reads, one AddPermission last): $bytes bytes decoded, $events events."
    echo
    echo "$table"
  } >> bench/RESULTS.md
fi
