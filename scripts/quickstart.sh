#!/usr/bin/env bash
# The README's first command: install what is missing, build, and analyse the bundled
# sample incident (a CloudTrail archive with a planted Lambda compromise).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
exec build/lambda-ir analyze examples/incident --min-severity medium "$@"
