#!/usr/bin/env bash
# The bundled sample must be exactly what the generator makes: regenerate it and compare
# every file byte for byte, so the sample, its ground truth and the generator never drift.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 "$src/tools/gen_cloudtrail.py" --out "$tmp/incident" 2>/dev/null
diff -rq "$src/examples/incident" "$tmp/incident" | head -n 5
diff -rq "$src/examples/incident" "$tmp/incident" > /dev/null
cmp "$src/examples/incident.expected.json" "$tmp/incident.expected.json"
echo "sample matches tools/gen_cloudtrail.py"
