#!/usr/bin/env bash
# Live investigation costs, in one run on this machine:
#  1. collecting a function with 20 published versions and a 10 MB package against moto
#     (packages served by the loopback package proxy, since moto's Code.Location is not
#     downloadable): --jobs 8 versus --jobs 1; both cases are checked (21 packages verified
#     against CodeSha256, case intact) before their times count;
#  2. YARA package-scan throughput: lambda-ir's scanner versus the yara command, same rules
#     and same files (this machine's Python standard library), matches compared first.
# --record appends the results to bench/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x build/bench/lir_yara_bench ] || scripts/build.sh
out=$(mktemp -d)
trap 'kill $moto_pid $proxy_pid 2>/dev/null; rm -rf "$out"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
moto_server -H 127.0.0.1 -p "$port" > /dev/null 2>&1 &
moto_pid=$!
for _ in $(seq 100); do python3 -c "import socket; socket.create_connection(('127.0.0.1', $port))" 2>/dev/null && break; sleep 0.1; done
python3 bench/seed_collect_bench.py "http://127.0.0.1:$port" "$out" > /dev/null
python3 tests/servers/code_location_proxy.py "http://127.0.0.1:$port" "$out" > "$out/proxy.port" &
proxy_pid=$!
for _ in $(seq 100); do [ -s "$out/proxy.port" ] && break; sleep 0.1; done
proxy="http://127.0.0.1:$(head -n1 "$out/proxy.port")"
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true

collect() {  # jobs run-name -> seconds
  local start end
  start=$(date +%s.%N)
  build/lambda-ir collect bench-fn --jobs "$1" --case "$out/$2" --skip-logs --skip-metrics --skip-cloudtrail \
    --endpoint-url "$proxy" > /dev/null
  end=$(date +%s.%N)
  [ "$(grep -c package-verified "$out/$2/custody.log")" = 21 ] || { echo "$2: not 21 verified packages" >&2; exit 1; }
  build/lambda-ir verify "$out/$2" > /dev/null || { echo "$2: case does not verify" >&2; exit 1; }
  echo "$end - $start" | bc
}
seq1=$(collect 1 sequential-1); par1=$(collect 8 parallel-1)
seq2=$(collect 1 sequential-2); par2=$(collect 8 parallel-2)

corpus=/usr/lib/python3.11
ours=$(build/bench/lir_yara_bench "$corpus")        # one thread per core, as yara -r
rules=()
while IFS= read -r f; do rules+=("${f#yara/}:$f"); done < <(find yara -name '*.yar' -o -name '*.yara' | sort)
start=$(date +%s.%N)
yara -r -w -e -d filepath= -d filename= -d extension= -d filetype= -d owner= "${rules[@]}" "$corpus" > "$out/yara.txt" 2> "$out/yara.err" || true
if grep -qi error "$out/yara.err"; then cat "$out/yara.err" >&2; exit 1; fi
end=$(date +%s.%N)
yara_s=$(echo "$end - $start" | bc)

table=$(python3 - "$seq1" "$par1" "$seq2" "$par2" "$ours" "$out/yara.txt" "$yara_s" <<'PY'
import json, sys
seq = min(float(sys.argv[1]), float(sys.argv[3])); par = min(float(sys.argv[2]), float(sys.argv[4]))
ours = json.loads(sys.argv[5])
theirs = set()
for line in open(sys.argv[6]):
    rule, _, path = line.rstrip("\n").partition(" ")
    theirs.add(f"{rule} {path}")
# Rules that read the external variables differ by design: yara gets "" for every file,
# lambda-ir the file's own name.
def comparable(m):
    return "gen_webshells_ext_vars" not in m
a = {m for m in ours["matches"] if comparable(m)}; b = {m for m in theirs if comparable(m)}
if a != b:
    print(f"MISMATCH: only lambda-ir {sorted(a - b)[:3]}, only yara {sorted(b - a)[:3]}", file=sys.stderr)
    sys.exit(1)
mb = ours["bytes"] / 1e6
print("| task | lambda-ir | reference | |\n|---|---:|---:|---|")
print(f"| collect: 20 versions + 10 MB packages (21 downloads) | {par:.2f} s (--jobs 8) | {seq:.2f} s (--jobs 1) | {seq / par:.1f}x |")
print(f"| YARA scan, {ours['files']} files, {mb:.0f} MB, {len(a)} matches | {ours['seconds']:.2f} s ({mb / ours['seconds']:.0f} MB/s) "
      f"| {float(sys.argv[7]):.2f} s (yara -r, {mb / float(sys.argv[7]):.0f} MB/s) | {float(sys.argv[7]) / ours['seconds']:.1f}x |")
PY
)
echo "$table"
if [ "${1:-}" = "--record" ]; then
  {
    echo
    echo "## Live investigation, $(date -u +%Y-%m-%dT%H:%MZ), $(git rev-parse --short HEAD)"
    echo
    echo "Machine: $(lscpu | sed -n 's/^Model name: *//p' | head -n1), $(nproc) cores; moto $(python3 -c 'import moto; print(moto.__version__)'); yara $(yara -v)."
    echo "Best of two runs each for collect. The yara command's time includes compiling the rules (about 0.1 s)."
    echo
    echo "$table"
  } >> bench/RESULTS.md
fi
