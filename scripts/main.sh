#!/usr/bin/env bash
# The README's main command: installs what is missing, builds gdverify, runs
# the default check suite on the built-in scenario and writes its report.
# Extra arguments are passed to `gdverify report` (e.g. --out DIR, --full).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" --target gdverify
exec ./build/release/app/gdverify report --out gdverify-report "$@"
