#!/usr/bin/env bash
# Installs the Debian packages that lambda-ir's build, tests and benchmarks need.
# Idempotent: installs only what is missing, and runs `apt-get update` only then.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config
  libsimdjson-dev nlohmann-json3-dev libdeflate-dev libdeflate-tools
  libyaml-cpp-dev libcli11-dev libfmt-dev libexpected-dev libre2-dev
  libssl-dev                   # SHA-256 / HMAC for evidence hashes and SigV4
  libcurl4-openssl-dev libpugixml-dev   # AWS transport; XML protocols (IAM, STS, S3)
  libzip-dev                   # reading deployment packages in memory
  zlib1g-dev                   # gzip inflated as it is read, for CloudTrail files too large to hold
  libyara-dev yara             # package scanning; the yara command is the tests' reference
  libsqlite3-dev               # the case index
  libdtl-dev                   # text diffs against known-good code
  libgtest-dev libgmock-dev libbenchmark-dev
  clang libclang-rt-14-dev     # libFuzzer targets (fuzz/run_fuzz.sh)
  clang-tidy clang-format      # scripts/tidy.sh on changed files; .clang-format for editors
  jq time                      # benchmark competitors and peak-RSS measurement
  nodejs                       # tools/sql_check: the rules' SQL checked in DuckDB (npm, below)
  zsh fish man-db              # the completion scripts and the man page, loaded by the real shells and man
  chromium fonts-dejavu-core   # the HTML report rendered in a real browser (headless) by the tests
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# DuckDB for node, pinned by tools/sql_check/package-lock.json: the tests run the rules'
# compiled Athena SQL in it (tools/sql_check/check.mjs). From npm's registry.
sql_check="$(dirname "$0")/../tools/sql_check"
if [ ! -d "$sql_check/node_modules/@duckdb/node-api" ]; then
  if ! command -v npm >/dev/null; then
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends npm
  fi
  npm ci --prefix "$sql_check" --no-audit --no-fund --loglevel=error
fi
