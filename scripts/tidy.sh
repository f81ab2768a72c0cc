#!/usr/bin/env bash
# clang-tidy (.clang-tidy: bugprone, performance, CERT error handling; warnings are errors) on
# the src/ files changed since BASE (default: the last 5 commits), at most 24 of them so that
# CI stays bounded. Needs build/compile_commands.json (scripts/build.sh). Usage: tidy.sh [BASE]
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:-HEAD~5}
git rev-parse -q --verify "$base^{commit}" >/dev/null || base=$(git rev-list --max-parents=0 HEAD)
mapfile -t files < <(git diff --name-only --diff-filter=AM "$base" -- 'src/*.cpp')
files=("${files[@]:0:24}")
if ((${#files[@]} == 0)); then
  echo "tidy: no changed source since $base" >&2
  exit 0
fi
echo "tidy: ${#files[@]} file(s) changed since $base" >&2
printf '%s\n' "${files[@]}" | xargs -P "$(nproc)" -n 1 clang-tidy -p build --quiet
