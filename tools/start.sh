#!/usr/bin/env bash
# The quick start: installs what is missing, builds, and runs the conformance suites against the
# embedded reference server (`scimulator run` with no target). Extra arguments go to `run`,
# e.g. tools/start.sh --profile okta-spec.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
tools/build.sh --target scimulator
exec build/tools/scimulator run --out out/quickstart "$@"
