#!/usr/bin/env bash
# Installs the Debian 12 packages scimulator builds and tests with, and only those missing.
# Idempotent: when everything is present it only runs dpkg queries and returns in well under a second.
# Usage: tools/setup.sh [--bench]   (--bench adds wrk and nginx for BENCHMARKS.md)
set -euo pipefail

packages=(
  g++ cmake make pkg-config ccache
  libboost-dev            # Boost 1.74 headers: Beast, Asio (header-only use)
  libcurl4-openssl-dev
  nlohmann-json3-dev
  libgtest-dev libgmock-dev
  libpugixml-dev
  libsqlite3-dev
  libssl-dev
  libcli11-dev
  libbenchmark-dev
  libmimalloc-dev         # the programs' allocator
  curl                    # quick start shows a request answered
  openssl                 # the TLS tests make a throwaway CA and certificate
  chromium                # headless: the report.html test renders the page and screenshots it
)
if [[ "${1:-}" == "--bench" ]]; then
  packages+=(wrk nginx-light)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

echo "setup: installing ${missing[*]}" >&2
if [[ $(id -u) -eq 0 ]]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "setup: need root or sudo to install: ${missing[*]}" >&2
  exit 2
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
