#!/usr/bin/env bash
# The Monte Carlo engine (bench/mc_bench, Google Benchmark) and the plain NumPy
# peer (bench/numpy_peer.py, Debian's python3-numpy under /usr/bin/python3) on
# the same two workloads, one core each, printed side by side.
#   bash bench/side_by_side.sh            (after bash scripts/test.sh or a release build)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${GDVERIFY_BUILD_DIR:-build/release}
[[ -x "$build/bench/mc_bench" ]] || { cmake --preset release >/dev/null && cmake --build "$build" --target mc_bench; }
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$build/bench/mc_bench" --benchmark_filter='BM_OneDimensionalCfg/65536|BM_DigitsCfg/256' \
  --benchmark_format=json >"$tmp/cpp.json"
/usr/bin/python3 bench/numpy_peer.py "${GDVERIFY_DATA_DIR:-data/sklearn}" >"$tmp/numpy.jsonl"
/usr/bin/python3 - "$tmp/cpp.json" "$tmp/numpy.jsonl" <<'PY'
import json, sys
cpp = {b["name"].split("/")[0]: b for b in json.load(open(sys.argv[1]))["benchmarks"]}
peer = {j["workload"]: j for j in map(json.loads, open(sys.argv[2]))}
rows = (("1d_cfg", "BM_OneDimensionalCfg"), ("digits", "BM_DigitsCfg"))
print(f"{'workload':10} {'gdverify path-steps/s':>22} {'NumPy path-steps/s':>20} {'ratio':>7}")
for w, b in rows:
    c, n = cpp[b]["path_steps_per_s"], peer[w]["path_steps_per_s"]
    print(f"{w:10} {c:22.4g} {n:20.4g} {c / n:7.2f}")
print(f"host kernel version: {cpp['BM_OneDimensionalCfg'].get('label', '?')}")
print(f"device memory per resident path: {cpp['BM_OneDimensionalCfg']['device_bytes_per_resident_path']:.0f} bytes "
      "(1-D, two scales; paths stream through in chunks of 65536)")
PY
