#!/usr/bin/env bash
# Configures and builds scimulator into build/ (Release with debug info), using ccache when present.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${JOBS:-2}
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$jobs" "$@"
