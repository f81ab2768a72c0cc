#!/usr/bin/env bash
# analyze of an archive in S3 (a moto_server on loopback) against the same files on disk, in
# the same run. Both reports must be the same (time and input names aside) before either is
# timed. moto's S3 is slower than S3 from inside a region; the figure is what the streaming
# costs over a local scan on this machine, not a forecast for AWS.
#
#   bench/run_s3_bench.sh [--noise-per-hour N]   (default 6000: about 0.3 GB uncompressed)
set -euo pipefail
cd "$(dirname "$0")/.."
noise=6000
if [ "${1:-}" = "--noise-per-hour" ]; then noise=$2; fi
bin=build/lambda-ir
[ -x "$bin" ] || scripts/build.sh
out=bench/out
archive=$out/archive-$noise
mkdir -p "$out"
[ -d "$archive" ] || python3 tools/gen_cloudtrail.py --out "$archive" --noise-per-hour "$noise" --jobs "$(nproc)"
. bench/best_of.sh

port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
moto_server -H 127.0.0.1 -p "$port" > "$out/moto-s3.log" 2>&1 &
moto=$!
trap 'kill $moto 2>/dev/null || true' EXIT
endpoint=http://127.0.0.1:$port
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
for _ in $(seq 50); do curl -s "$endpoint/moto-api/" > /dev/null && break; sleep 0.2; done
python3 tests/aws_cli.py s3 mb s3://bench-trail --endpoint-url "$endpoint" > /dev/null
python3 tests/aws_cli.py s3 cp --recursive --quiet "$archive" s3://bench-trail/ --endpoint-url "$endpoint"

echo "checking answers..." >&2
strip='import json,sys; d=json.load(open(sys.argv[1])); d.pop("generated_at"); d.pop("inputs"); print(json.dumps(d, sort_keys=True))'
"$bin" analyze "$archive" --format json --out "$out/s3-disk.json" --force -q
"$bin" analyze s3://bench-trail/ --endpoint-url "$endpoint" --format json --out "$out/s3-s3.json" --force -q
if [ "$(python3 -c "$strip" "$out/s3-disk.json")" != "$(python3 -c "$strip" "$out/s3-s3.json")" ]; then
  echo "the S3 and disk reports differ: refusing to time" >&2
  exit 1
fi
echo "ok: the same report from S3 and from disk" >&2

read -r disk_s disk_kb < <(best 3 "$bin" analyze "$archive" --format json --out /dev/null -q)
read -r s3_s s3_kb < <(best 3 "$bin" analyze s3://bench-trail/ --endpoint-url "$endpoint" --format json --out /dev/null -q)
files=$(find "$archive" -name '*.json.gz' | wc -l)
compressed=$(du -sb "$archive" | cut -f1)
echo
echo "$files files, $((compressed / 1000000)) MB compressed"
echo
echo "| source | seconds | peak RSS MB |"
echo "|---|---:|---:|"
echo "| disk | $disk_s | $((disk_kb / 1024)) |"
echo "| moto S3 on loopback (8 fetches in flight) | $s3_s | $((s3_kb / 1024)) |"
