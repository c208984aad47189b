"""mpmath peer of bench/quadrature_bench.cpp: the same 50-digit L1(a) integral
E_{q_t}[phi_t] = integral q_t p_t / (sum_{k in c} w_k N_k) dx (exactly 1/pi_c),
CFG form, ou schedule, t = 1, with mpmath.quad (tanh-sinh) at 50 digits on the
interval the certified path uses, split at the components' means.

Prints one JSON line per workload: seconds per integral (median of the runs),
the error against 1/pi_c and mpmath's own error estimate.
Run with Debian's /usr/bin/python3 (python3-mpmath)."""
import json
import statistics
import sys
import time

import mpmath

WORKLOADS = {
    # (weight, mean, variance, label) at t = 0, the guided class, its prior
    "default-3-component": ([(0.2, -2.0, 0.09, 0), (0.2, 1.0, 0.25, 0), (0.6, 0.5, 1.0, 1)], 0, 0.4),
    "two-class": ([(0.5, -1.0, 0.25, 0), (0.5, 1.0, 0.25, 1)], 0, 0.5),
}


def integral(comps, cls, prior, lo, hi, t=1):
    a = mpmath.exp(-t)
    s2 = 1 - a * a
    terms = []
    for w, m, v, lab in comps:
        vt = a * a * v + s2
        terms.append((w / mpmath.sqrt(2 * mpmath.pi * vt), a * m, 1 / (2 * vt), lab))

    def f(x):
        allp = inc = mpmath.mpf(0)
        for amp, m, k, lab in terms:
            g = amp * mpmath.exp(-k * (x - m) ** 2)
            allp += g
            if lab == cls:
                inc += g
        return (inc / prior) * allp / inc

    points = [mpmath.mpf(lo)] + sorted(m for _, m, _, _ in terms) + [mpmath.mpf(hi)]
    return mpmath.quad(f, points, error=True)


def main():
    # The interval of the certified path for each workload: argv "name=lo,hi" ...
    intervals = dict(arg.split("=") for arg in sys.argv[1:])
    mpmath.mp.dps = 50
    runs = 3
    for name, (comps, cls, prior) in WORKLOADS.items():
        lo, hi = map(float, intervals.get(name, "-20,20").split(","))
        secs = []
        for _ in range(runs):
            start = time.perf_counter()
            value, err = integral(comps, cls, prior, lo, hi)
            secs.append(time.perf_counter() - start)
        print(json.dumps({"workload": name, "seconds": statistics.median(secs),
                          "error": float(abs(value - 1 / mpmath.mpf(prior))), "error_estimate": float(err)}))


if __name__ == "__main__":
    main()
