#!/usr/bin/env bash
# Builds the fuzz target (record reader whole and streamed, rule YAML, log lines, text scanners) with clang (libFuzzer + ASan + UBSan) and runs it for
# a bounded time on a corpus seeded from the rules' sample events. Usage: run_fuzz.sh OUTDIR SECONDS
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$src/build/fuzz}
seconds=${2:-30}
mkdir -p "$out/corpus"

if ! command -v clang++ >/dev/null; then
  echo "run_fuzz: clang++ is not installed (scripts/setup.sh installs it)" >&2
  exit 1
fi

cmake -DDIR="$src/rules" -DOUT="$out/embedded_rules.cpp" -DSYMBOL=lir_embedded_rules \
  -P "$src/cmake/embed_files_run.cmake"
cmake -DDIR="$src/yara" -DOUT="$out/embedded_yara.cpp" -DSYMBOL=lir_embedded_yara \
  -P "$src/cmake/embed_files_run.cmake"

sources=("$src"/src/core/*.cpp "$src"/src/sources/*.cpp "$src"/src/analysis/*.cpp "$out/embedded_rules.cpp" "$out/embedded_yara.cpp")
binary="$out/fuzz_record_reader"
# (Not `ls -t | head`: under pipefail, ls killed by SIGPIPE when head is done would end the script.)
if [ ! -x "$binary" ] || [ -n "$(find "${sources[@]}" "$src"/src/*/*.h "$src/fuzz/fuzz_record_reader.cpp" -newer "$binary" -print -quit)" ]; then
  echo "run_fuzz: building $binary" >&2
  clang++ -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
    -I"$src/src" "$src/fuzz/fuzz_record_reader.cpp" "${sources[@]}" \
    $(pkg-config --cflags --libs libdeflate re2 yaml-cpp fmt libcrypto pugixml libzip yara) -lsimdjson -lpthread -o "$binary"
fi

# Seeds: every rule sample event; every shipped rule.yaml behind 0x01; log lines (the tests'
# own) behind 0x02; addresses and numbers behind 0x03; Records documents for the streamed
# reader behind 0x04 (see fuzz_record_reader.cpp).
i=0
for f in "$src"/rules/*/tests/*/*.json; do
  cp "$f" "$out/corpus/seed-$i.json"
  i=$((i + 1))
done
for f in "$src"/rules/*/tests/match/*.json; do
  { printf '\004{"Records":['; cat "$f"; printf ',42,[]]}'; } > "$out/corpus/seed-$i.stream"
  i=$((i + 1))
done
for f in "$src"/rules/*/rule.yaml; do
  { printf '\001'; cat "$f"; } > "$out/corpus/seed-$i.yaml"
  i=$((i + 1))
done
printf '\002START RequestId: 1 Version: $LATEST\nposting to https://u:p@exfil.example.net:8443/c2 and 198.51.100.23:4444\nREPORT RequestId: 1\tDuration: 2.00 ms\tMemory Size: 128 MB\tMax Memory Used: 40 MB\n' \
  > "$out/corpus/seed-log"
printf '\003{"n":123456789012345678901234567890,"u":"http://127.0.0.1@evil.example:80/x","f":1e400}' > "$out/corpus/seed-text"

# -rss_limit_mb bounds memory; -max_len allows whole small trail files.
"$binary" "$out/corpus" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 \
  -timeout=10 -artifact_prefix="$out/" -print_final_stats=1 2>&1 | tail -n 25
