#!/usr/bin/env bash
# docs/detection-coverage.md must be what tools/detection_coverage.py makes from this build and
# the corpora: a rule change that moves an agreement figure regenerates the document in the
# same commit (python3 tools/detection_coverage.py), and no difference goes unexplained.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
binary=${1:-$src/build/lambda-ir}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$src"
python3 tools/detection_coverage.py --binary "$binary" --corpora "${LIR_CORPORA:-$src/../shared/corpora}" \
  --out "$tmp/detection-coverage.md"
diff -u docs/detection-coverage.md "$tmp/detection-coverage.md"
echo "docs/detection-coverage.md is current"
