#!/usr/bin/env bash
# The README's test command: installs what is missing (scripts/setup.sh),
# builds the release preset and runs every test with ctest.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
cmake --preset release
cmake --build --preset release -j "$(nproc)"
ctest --preset release -j "$(nproc)"
