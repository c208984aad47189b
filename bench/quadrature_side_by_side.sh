#!/usr/bin/env bash
# One 50-digit L1(a) integral (bench/quadrature_bench.cpp) four ways, side by
# side in one run on one core: gdverify's certified path (Arb through the theory
# templates, tails bounded), raw Arb (the integrand hand-written in acb calls,
# same interval and goal), gdverify's tanh-sinh estimate, and mpmath's quad at
# 50 digits (bench/mpmath_peer.py, Debian's python3-mpmath under /usr/bin/python3).
#   bash bench/quadrature_side_by_side.sh       (after a release build)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${GDVERIFY_BUILD_DIR:-build/release}
[[ -x "$build/bench/quadrature_bench" ]] ||
  { cmake --preset release >/dev/null && cmake --build "$build" --target quadrature_bench; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$build/bench/quadrature_bench" --benchmark_format=json --benchmark_min_time=2 >"$tmp/cpp.json"
intervals=$(/usr/bin/python3 - "$tmp/cpp.json" <<'PY'
import json, sys
for b in json.load(open(sys.argv[1]))["benchmarks"]:
    if b["name"].startswith("BM_CertifiedIntegral"):
        print(f"{b['label']}={b['lo']!r},{b['hi']!r}")
PY
)
# shellcheck disable=SC2086  # one argument per workload, no spaces in them
/usr/bin/python3 bench/mpmath_peer.py $intervals >"$tmp/mpmath.jsonl"
arb_version=$(dpkg-query -W -f='${Version}' libflint-arb-dev 2>/dev/null || echo unknown)
mpmath_version=$(/usr/bin/python3 -c 'import mpmath; print(mpmath.__version__)')
/usr/bin/python3 - "$tmp/cpp.json" "$tmp/mpmath.jsonl" "$arb_version" "$mpmath_version" <<'PY'
import json, platform, sys
cpp = {}
for b in json.load(open(sys.argv[1]))["benchmarks"]:
    cpp[(b["name"].split("/")[0], b["label"])] = b
peer = {j["workload"]: j for j in map(json.loads, open(sys.argv[2]))}
ms = lambda b: b["real_time"] if b["time_unit"] == "ms" else b["real_time"] / 1e3
print(f"{'workload':22} {'certified ms':>12} {'raw Arb ms':>10} {'ratio':>6}   {'tanh-sinh ms':>12} "
      f"{'mpmath ms':>9} {'mpmath/certified':>16}   {'evals (cert/raw)':>16}")
for w in ("default-3-component", "two-class"):
    c, a, t = (cpp[(n, w)] for n in ("BM_CertifiedIntegral", "BM_RawArbIntegral", "BM_TanhSinhIntegral"))
    m = peer[w]["seconds"] * 1e3
    print(f"{w:22} {ms(c):12.1f} {ms(a):10.1f} {ms(c) / ms(a):6.2f}   {ms(t):12.1f} {m:9.1f} {m / ms(c):16.2f}   "
          f"{int(c['evaluations']):>7}/{int(a['evaluations'])}")
    print(f"{'':22} certified radius {c['value_radius']:.2e}; mpmath error {peer[w]['error']:.1e} "
          f"(its estimate {peer[w]['error_estimate']:.1e}); tanh-sinh estimate {t['error_estimate']:.1e}")
flags = set()
try:
    for line in open("/proc/cpuinfo"):
        if line.startswith("flags"):
            flags = set(line.split(":")[1].split())
            break
except OSError:
    pass
isa = next((f for f in ("avx512f", "avx2", "avx", "sse4_2") if f in flags), "?")
print(f"machine: {platform.machine()}, widest vector extension {isa}; Arb {sys.argv[3]}, mpmath {sys.argv[4]}; "
      "ratio = certified time / raw Arb time; mpmath/certified > 1 means the certified path is faster")
PY
