#!/usr/bin/env bash
# The README's test command: installs what is missing (scripts/setup.sh),
# builds the release preset and runs every test with ctest, then builds the
# debug-asan preset (AddressSanitizer + UndefinedBehaviorSanitizer) and runs
# the tests that finish in reasonable time unoptimised there: the fuzzer, the
# parser, theory, reports, output files, the CLI's input checks and a reduced
# engine test (the preset's test filter in CMakePresets.json). Between the two,
# the C++ API door: the release build is installed into a fresh temporary
# prefix and examples/consumer, a project outside the tree, is built against
# it with find_package(gdverify) and run (it judges a score model).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
cmake --preset release
cmake --build --preset release -j "$(nproc)"
ctest --preset release -j "$(nproc)"
consumer="$(mktemp -d)"
trap 'rm -rf "$consumer"' EXIT
cmake --install build/release --prefix "$consumer/prefix" > /dev/null
cmake -S examples/consumer -B "$consumer/build" -G Ninja -DCMAKE_PREFIX_PATH="$consumer/prefix" > /dev/null
cmake --build "$consumer/build"
"$consumer/build/judge_my_model" scenarios/default.toml
cmake --preset debug-asan
cmake --build --preset debug-asan -j "$(nproc)"
ctest --preset debug-asan -j "$(nproc)"
