#!/usr/bin/env bash
# The README's test command: installs what is missing (scripts/setup.sh),
# builds the release preset and runs every test with ctest, then builds the
# debug-asan preset (AddressSanitizer + UndefinedBehaviorSanitizer) and runs
# the tests that finish in reasonable time unoptimised there: the fuzzer, the
# parser, theory, reports, output files, the CLI's input checks and a reduced
# engine test (the preset's test filter in CMakePresets.json).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
cmake --preset release
cmake --build --preset release -j "$(nproc)"
ctest --preset release -j "$(nproc)"
cmake --preset debug-asan
cmake --build --preset debug-asan -j "$(nproc)"
ctest --preset debug-asan -j "$(nproc)"
