#!/usr/bin/env bash
# Builds the two fuzz targets with clang (libFuzzer + ASan + UBSan) and runs each for a bounded
# time on a corpus of small checked-in or generated seeds. Usage: run_fuzz.sh OUTDIR SECONDS
#   fuzz_record_reader  what lives below the AWS layer: CloudTrail records (whole and streamed),
#                       rule YAML, log lines, text scanners, deployment packages
#                       (fuzz/fuzz_record_reader.cpp)
#   fuzz_aws_parsers    AWS answers (XML, errors), INI files, SigV4, credential_process
#                       output, case directories through verify (fuzz/fuzz_aws_parsers.cpp)
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$src/build/fuzz}
seconds=${2:-30}
mkdir -p "$out"

if ! command -v clang++ >/dev/null; then
  echo "run_fuzz: clang++ is not installed (scripts/setup.sh installs it)" >&2
  exit 1
fi

embed() {  # DIR SYMBOL: the embedded-files source the CMake build generates, for clang
  cmake -DDIR="$src/$1" -DOUT="$out/embedded_$2.cpp" -DSYMBOL="lir_embedded_$2" -P "$src/cmake/embed_files_run.cmake"
}
embed rules rules
embed sigma sigma
embed yara yara
embed data/aws aws_data

# Every source is compiled once to $out/obj (in parallel, again only when it or a header
# changed); each target links the objects it needs.
pkgs="libdeflate re2 yaml-cpp fmt libcrypto pugixml libzip yara libcurl zlib"
export src out pkgs
compile_one() {
  local source=$1 obj
  obj="$out/obj/$(printf '%s' "${source#"$out"/}" | sed "s|^$src/||" | tr '/' '_').o"
  if [ ! -f "$obj" ] || [ "$source" -nt "$obj" ] || [ -n "$(find "$src"/src/*/*.h -newer "$obj" -print -quit)" ]; then
    # shellcheck disable=SC2046
    clang++ -std=c++20 -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined \
      -DLIR_AWS_VERSION='"fuzz"' -I"$src/src" $(pkg-config --cflags $pkgs) -c "$source" -o "$obj"
  fi
  printf '%s\n' "$obj"
}
export -f compile_one

build() {  # NAME SOURCES...: fuzz/NAME.cpp linked with the sources' objects
  local name=$1
  shift
  mkdir -p "$out/obj"
  local objects
  objects=$(printf '%s\n' "$src/fuzz/$name.cpp" "$@" | xargs -P "$(nproc)" -n 1 bash -c 'compile_one "$1"' _)
  echo "run_fuzz: linking $out/$name" >&2
  # shellcheck disable=SC2046,SC2086
  clang++ -fsanitize=fuzzer,address,undefined $objects $(pkg-config --libs $pkgs) -lsimdjson -lpthread -o "$out/$name"
}

run() {  # NAME: -rss_limit_mb bounds memory; -max_len allows whole small trail files
  mkdir -p "$out/$1-corpus"
  cp "$out/seeds-$1"/* "$out/$1-corpus/"
  "$out/$1" "$out/$1-corpus" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 \
    -timeout=10 -artifact_prefix="$out/$1-" -print_final_stats=1 2>&1 | tail -n 25
}

build fuzz_record_reader \
  "$src"/src/core/*.cpp "$src"/src/sources/*.cpp "$src"/src/analysis/*.cpp "$out/embedded_rules.cpp" "$out/embedded_yara.cpp" \
  "$out/embedded_sigma.cpp"
build fuzz_aws_parsers \
  "$src"/src/core/*.cpp "$src"/src/aws/*.cpp "$src/src/evidence/case.cpp" "$src/src/evidence/case_verify.cpp" \
  "$out/embedded_aws_data.cpp"

# Seeds of fuzz_record_reader: every rule sample event; every shipped rule.yaml behind 0x01;
# log lines (the tests' own) behind 0x02; addresses and numbers behind 0x03; Records documents
# for the streamed reader behind 0x04, and in pieces (plain and gzip) behind 0x07; the small
# packages of fuzz/seeds-zip behind 0x05; the bundled Sigma rules behind 0x06.
seeds="$out/seeds-fuzz_record_reader"
rm -rf "$seeds" && mkdir -p "$seeds"
i=0
for f in "$src"/rules/*/tests/*/*.json; do
  cp "$f" "$seeds/seed-$i.json"
  i=$((i + 1))
done
for f in "$src"/rules/*/tests/match/*.json; do
  { printf '\004{"Records":['; cat "$f"; printf ',42,[]]}'; } > "$seeds/seed-$i.stream"
  { printf '\007\005{"Records":['; cat "$f"; printf ',42,[]]}'; } > "$seeds/seed-$i.pieces"
  { printf '\007\013'; { printf '{"Records":['; cat "$f"; printf ']}'; } | gzip -c; } > "$seeds/seed-$i.pieces-gz"
  i=$((i + 1))
done
for f in "$src"/rules/*/rule.yaml; do
  { printf '\001'; cat "$f"; } > "$seeds/seed-$i.yaml"
  i=$((i + 1))
done
printf '\002START RequestId: 1 Version: $LATEST\nposting to https://u:p@exfil.example.net:8443/c2 and 198.51.100.23:4444\nREPORT RequestId: 1\tDuration: 2.00 ms\tMemory Size: 128 MB\tMax Memory Used: 40 MB\n' \
  > "$seeds/seed-log"
printf '\003{"n":123456789012345678901234567890,"u":"http://127.0.0.1@evil.example:80/x","f":1e400}' > "$seeds/seed-text"
for f in "$src"/sigma/cloudtrail/*.yml; do
  { printf '\006'; cat "$f"; } > "$seeds/seed-$i.sigma"
  i=$((i + 1))
done
for f in "$src"/fuzz/seeds-zip/*.zip; do
  { printf '\005'; cat "$f"; } > "$seeds/seed-$(basename "$f")"
done

# Seeds of fuzz_aws_parsers: the checked-in answers of fuzz/seeds-aws (real formats, each
# behind its selector byte) and the SigV4 suite's request lines.
seeds="$out/seeds-fuzz_aws_parsers"
rm -rf "$seeds" && mkdir -p "$seeds"
cp "$src"/fuzz/seeds-aws/* "$seeds/"
shopt -s globstar nullglob
i=0
for f in "$src"/../shared/corpora/sigv4-testsuite/**/*.req; do
  { printf '\002'; read -r _ target _ < "$f"; printf '%s' "$target"; } > "$seeds/sigv4-$i"
  i=$((i + 1))
done

run fuzz_record_reader
run fuzz_aws_parsers
