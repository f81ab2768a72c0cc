#!/usr/bin/env bash
# Configures (once) and builds lambda-ir with CMake + Ninja into build/.
set -euo pipefail
cd "$(dirname "$0")/.."
# LIR_WERROR=1 (CI): warnings are errors.
[ -f build/build.ninja ] || cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DLIR_WERROR="$([ "${LIR_WERROR:-0}" = 1 ] && echo ON || echo OFF)"
cmake --build build
