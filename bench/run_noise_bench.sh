#!/usr/bin/env bash
# Detection quality: recall on the sample incident's planted events and false positives on a
# generated week of benign activity (tools/gen_cloudtrail.py --benign: four accounts'
# pipelines, daily Terraform role rewrites, a new service, routine failures). Zero high or
# critical findings on the benign week is the target; the rules that fired are listed.
#
#   bench/run_noise_bench.sh [--record]
#
# --record appends the table to bench/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
record=0
[ "${1:-}" = --record ] && record=1
bin=build/lambda-ir
[ -x "$bin" ] || scripts/build.sh
out=bench/out
mkdir -p "$out"
rm -rf "$out/benign-week"
python3 tools/gen_cloudtrail.py --out "$out/benign-week" --benign --hours 168 --jobs 2
# With the bundled Sigma rules, so that their noise is measured too.
"$bin" analyze "$out/benign-week" --with-sigma --format json --out "$out/benign-report.json" --force
"$bin" analyze examples/incident --with-sigma --format json --out "$out/sample-report.json" --force
status=0
python3 bench/detection_quality.py "$out/sample-report.json" examples/incident.expected.json \
  "$out/benign-report.json" > "$out/quality.md" || status=$?
cat "$out/quality.md"
if [ "$record" = 1 ]; then
  {
    echo
    echo "## Detection quality, $(date -u +%Y-%m-%dT%H:%MZ), $(git rev-parse --short HEAD)"
    echo
    echo "bench/run_noise_bench.sh: recall on examples/incident's planted (rule, event) pairs; false"
    echo "positives on tools/gen_cloudtrail.py --benign --hours 168 (4 accounts, no attack)."
    echo
    cat "$out/quality.md"
  } >> bench/RESULTS.md
fi
exit "$status"
