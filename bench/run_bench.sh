#!/usr/bin/env bash
# Offline analysis throughput: lambda-ir analyze versus `zcat | jq` doing the Lambda-changes
# filter, versus decompression alone (libdeflate-gunzip), and versus the bare scan
# (build/bench/lir_bare_scan: libdeflate + a simdjson DOM of every file, nothing else), on the
# same generated archive in the same run. Each answer is checked before its time is reported.
#
#   bench/run_bench.sh [--record] [--noise-per-hour N] [--rss-sizes]
#
# --record appends the table and the machine description to bench/RESULTS.md.
# --rss-sizes also generates archives of 0.3, 1 and 3 GB with files of one size, and archives
# with larger files, and reports the peak RSS of analyze --jobs 2 on each (memory must not grow
# with the archive, only with its largest file, up to the size past which a file is streamed).
set -euo pipefail
cd "$(dirname "$0")/.."
record=0
rss_sizes=0
noise=22000   # ~1.1 GB of uncompressed CloudTrail over the generator's 48 hours
while [ $# -gt 0 ]; do
  case "$1" in
    --record) record=1 ;;
    --noise-per-hour) noise=$2; shift ;;
    --rss-sizes) rss_sizes=1 ;;
    *) echo "usage: $0 [--record] [--noise-per-hour N] [--rss-sizes]" >&2; exit 2 ;;
  esac
  shift
done

bin=build/lambda-ir
bare=build/bench/lir_bare_scan
[ -x "$bin" ] && [ -x "$bare" ] || scripts/build.sh
out=bench/out
archive=$out/archive-$noise
mkdir -p "$out"
if [ ! -d "$archive" ]; then
  python3 tools/gen_cloudtrail.py --out "$archive" --noise-per-hour "$noise" --jobs "$(nproc)"
fi
truth=$archive.expected.json
find "$archive" -name '*.json.gz' -print0 | sort -z > "$out/files.lst"
files=$(tr -cd '\0' < "$out/files.lst" | wc -c)
bytes=$(python3 -c "import json;print(json.load(open('$truth'))['uncompressed_bytes'])")
events=$(python3 -c "import json;print(json.load(open('$truth'))['events'])")

. bench/best_of.sh

echo "checking answers..." >&2
"$bin" analyze "$archive" --format json --out "$out/report.json" --force
python3 bench/check_truth.py "$out/report.json" "$truth" >&2
ours_changes=$(python3 -c "import json;print(sum(1 for t in json.load(open('$out/report.json'))['timeline'] if t['event_source']=='lambda.amazonaws.com'))")
jq_filter='.Records[] | select(.eventSource == "lambda.amazonaws.com" and .readOnly == false) | .eventID'
xargs -0 zcat < "$out/files.lst" | jq -r "$jq_filter" > "$out/jq.txt"
jq_changes=$(wc -l < "$out/jq.txt")
if [ "$jq_changes" != "$ours_changes" ]; then
  echo "jq found $jq_changes Lambda changes, lambda-ir $ours_changes: refusing to time" >&2
  exit 1
fi
echo "ok: jq and lambda-ir agree on $jq_changes Lambda changes" >&2
bare_records=$("$bare" --jobs 2 - < <(tr '\0' '\n' < "$out/files.lst") | sed -n 's/.* bytes, \([0-9]*\) records.*/\1/p')
if [ "$bare_records" != "$events" ]; then
  echo "the bare scan read $bare_records records, the archive holds $events: refusing to time" >&2
  exit 1
fi
echo "ok: the bare scan reads all $events records" >&2

echo "timing..." >&2
read -r gunzip_s gunzip_kb < <(best 3 sh -c "xargs -0 -n 64 libdeflate-gunzip -c < $out/files.lst")
tr '\0' '\n' < "$out/files.lst" > "$out/files.txt"
read -r bare1_s bare1_kb < <(best 3 sh -c "$bare --jobs 1 - < $out/files.txt")
read -r bare2_s bare2_kb < <(best 3 sh -c "$bare --jobs 2 - < $out/files.txt")
read -r j1_s j1_kb < <(best 3 "$bin" analyze "$archive" --jobs 1 --format json --out /dev/null)
read -r j2_s j2_kb < <(best 3 "$bin" analyze "$archive" --jobs 2 --format json --out /dev/null)
read -r sigma_s sigma_kb < <(best 3 "$bin" analyze "$archive" --jobs 1 --with-sigma --format json --out /dev/null)
read -r small_s small_kb < <(best 1 "$bin" analyze examples/incident --jobs 2 --format json --out /dev/null)
read -r jq_s jq_kb < <(best 1 sh -c "xargs -0 zcat < $out/files.lst | jq -r '$jq_filter'")

table=$(python3 - "$bytes" "$events" "$gunzip_s" "$gunzip_kb" "$j1_s" "$j1_kb" "$j2_s" "$j2_kb" "$jq_s" "$jq_kb" "$small_kb" \
  "$sigma_s" "$sigma_kb" "$bare1_s" "$bare1_kb" "$bare2_s" "$bare2_kb" <<'PY'
import sys
b, ev = int(sys.argv[1]), int(sys.argv[2])
(g_s, g_kb, j1_s, j1_kb, j2_s, j2_kb, jq_s, jq_kb, small_kb, sigma_s, sigma_kb,
 bare1_s, bare1_kb, bare2_s, bare2_kb) = map(float, sys.argv[3:])
def row(name, s, kb, evs=True):
    return f"| {name} | {s:.2f} | {b / s / 1e6:,.0f} | {(ev / s / 1e6 if evs else 0):.2f} | {kb / 1024:.0f} |"
print("| command | seconds | MB/s (uncompressed) | M events/s | peak RSS MB |")
print("|---|---:|---:|---:|---:|")
print(row("libdeflate-gunzip (decompression alone, 1 core)", g_s, g_kb))
print(row("bare scan: libdeflate + simdjson DOM, --jobs 1", bare1_s, bare1_kb))
print(row("bare scan: libdeflate + simdjson DOM, --jobs 2", bare2_s, bare2_kb))
print(row("lambda-ir analyze --jobs 1", j1_s, j1_kb))
print(row("lambda-ir analyze --jobs 2", j2_s, j2_kb))
print(row("lambda-ir analyze --jobs 1 --with-sigma (57 SigmaHQ rules too)", sigma_s, sigma_kb))
print(row("zcat \\| jq (Lambda changes only)", jq_s, jq_kb))
print()
print(f"- lambda-ir --jobs 1 vs decompression alone: {g_s / j1_s:.2f}x of its throughput (target >= 0.5)")
print(f"- lambda-ir vs the bare scan, all rules on: {bare1_s / j1_s:.2f}x with 1 job, {bare2_s / j2_s:.2f}x with 2 (target >= 0.9)")
print(f"- lambda-ir --jobs 1 vs zcat | jq: {jq_s / j1_s:.0f}x faster (target >= 20)")
print(f"- --jobs 2 vs --jobs 1: {j1_s / j2_s:.2f}x (target >= 1.7)")
print(f"- --with-sigma costs {100 * (sigma_s / j1_s - 1):.0f}% of --jobs 1's time (opt-in for that reason)")
print(f"- peak RSS: {j2_kb / 1024:.0f} MB on this archive, {small_kb / 1024:.0f} MB on the 3 MB sample (target < 200 MB)")
PY
)
if [ "$rss_sizes" = 1 ]; then
  # Two series: archives that grow with their files the same size (0.3 to 3 GB of 1.5 MB files:
  # memory must not grow), and archives whose files grow (memory follows the largest file, up
  # to the 16 MiB past which a file is streamed).
  rss_rows="| archive (uncompressed) | files | largest file MB | peak RSS MB, analyze --jobs 2 |"$'\n'"|---:|---:|---:|---:|"
  for spec in 6000:48 6000:160 6000:480 "$noise":48 66000:48; do
    size_noise=${spec%:*}
    hours=${spec#*:}
    a=$out/archive-$size_noise
    [ "$hours" = 48 ] || a=$a-h$hours
    [ -d "$a" ] || python3 tools/gen_cloudtrail.py --out "$a" --noise-per-hour "$size_noise" --hours "$hours" --jobs "$(nproc)" >&2
    a_bytes=$(python3 -c "import json;print(json.load(open('$a.expected.json'))['uncompressed_bytes'])")
    a_files=$(find "$a" -name '*.json.gz' | wc -l)
    # The decoded size of the largest file (by its compressed size: one generator, one ratio).
    largest=$(find "$a" -name '*.json.gz' -printf '%s %p\n' | sort -n | tail -1 | cut -d' ' -f2- | xargs gzip -dc | wc -c)
    read -r _ a_kb < <(best 1 "$bin" analyze "$a" --jobs 2 --format json --out /dev/null)
    rss_rows+=$'\n'"| $(python3 -c "print(f'{$a_bytes/1e9:.2f} GB')") | $a_files | $(python3 -c "print(f'{$largest/1e6:.1f}')") | $((a_kb / 1024)) |"
  done
  table+=$'\n\n'"$rss_rows"
fi
echo
echo "$files files, $bytes bytes uncompressed, $events events"
echo
echo "$table"
if [ "$record" = 1 ]; then
  {
    echo
    echo "## $(date -u +%Y-%m-%dT%H:%MZ), $(git rev-parse --short HEAD)"
    echo
    echo "Machine: $(lscpu | sed -n 's/^Model name: *//p' | head -n1), $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB;" \
         "$(lsb_release -ds 2>/dev/null || sed -n 's/^PRETTY_NAME=//p' /etc/os-release | tr -d '"'); $(g++ --version | head -n1)."
    echo "Archive: tools/gen_cloudtrail.py --noise-per-hour $noise: $files files, $bytes bytes uncompressed, $events events."
    echo
    echo "$table"
  } >> bench/RESULTS.md
fi
