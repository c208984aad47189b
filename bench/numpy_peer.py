#!/usr/bin/python3
"""Plain NumPy implementation of the Monte Carlo engine's benchmark workloads.

The same computation as bench/mc_bench.cpp: Euler-Maruyama on the reverse SDE
of the ou process (T = 2, delta = 1e-3), exact start q_T, CFG towards class 0
with w in {0, 1} (coupled: same start and noise), guided score
s^w = (1 + w) s(.|c) - w s from a streaming-free log-sum-exp over components,
and log phi = log p_delta(y) - log p_delta(y|c) + log pi_c - log pi_c at the end
(THEORY.md sections 1 and 3). Vectorised over paths; one core
(OMP/OPENBLAS threads pinned to 1 by bench/side_by_side.sh).

Workloads:
  1d_cfg  the built-in 1-D scenario (class 0: 0.5 N(-2, 0.09) + 0.5 N(1, 0.25),
          prior 0.4; class 1: N(0.5, 1), prior 0.6), 65536 paths, 100 steps
  digits  the 64-d digits empirical mixture, pixels x / 8 - 1, 256 paths, 10 steps

Prints one JSON object per workload: path_steps_per_s and E[log phi] per w.
"""
import json
import sys
import time

import numpy as np

T, DELTA = 2.0, 1e-3


def alpha(t):
    return np.exp(-t)


def sigma2(t):
    return 1.0 - np.exp(-2.0 * t)


class Mixture:
    """Isotropic Gaussian components: weights w_k (including the class prior), means mu_k, variances v_k."""

    def __init__(self, weights, means, variances, labels):
        self.logw = np.log(np.asarray(weights, dtype=float))
        self.means = np.asarray(means, dtype=float)  # K x d
        self.var = np.asarray(variances, dtype=float)  # K
        self.labels = np.asarray(labels)
        self.mean_sq = np.sum(self.means**2, axis=1)

    def log_terms(self, y, t):
        """l_k(y) = log w_k + log N(y; alpha mu_k, (alpha^2 v_k + sigma^2) I) for all paths: P x K."""
        a, s2 = alpha(t), sigma2(t)
        v = a * a * self.var + s2
        d = y.shape[1]
        # |y - a mu|^2 = |y|^2 - 2 a y.mu + a^2 |mu|^2 (a matrix product over components)
        sq = np.sum(y * y, axis=1)[:, None] - 2 * a * (y @ self.means.T) + a * a * self.mean_sq[None, :]
        return self.logw[None, :] - 0.5 * d * np.log(2 * np.pi * v)[None, :] - 0.5 * sq / v[None, :], v

    def score_and_log(self, y, t, mask=None):
        l, v = self.log_terms(y, t)
        if mask is not None:
            l = l[:, mask]
            v = v[mask]
            means = self.means[mask]
        else:
            means = self.means
        m = np.max(l, axis=1, keepdims=True)
        e = np.exp(l - m)
        s = np.sum(e, axis=1, keepdims=True)
        r = e / s  # responsibilities
        a = alpha(t)
        # score = sum_k r_k (a mu_k - y) / v_k
        rv = r / v[None, :]
        score = a * (rv @ means) - y * np.sum(rv, axis=1, keepdims=True)
        return score, (m + np.log(s))[:, 0]


def run(mix, cls, paths, steps, seed=20261123):
    rng = np.random.default_rng(seed)
    d = mix.means.shape[1]
    mask = mix.labels == cls
    prior = np.exp(mix.logw[mask]).sum()
    # exact start q_T = p_T(. | c)
    wc = np.exp(mix.logw[mask]) / prior
    comp = rng.choice(np.flatnonzero(mask), size=paths, p=wc)
    a, s2 = alpha(T), sigma2(T)
    y0 = a * mix.means[comp] + np.sqrt(a * a * mix.var[comp] + s2)[:, None] * rng.standard_normal((paths, d))
    noise = [rng.standard_normal((paths, d)) for _ in range(steps)]
    grid = np.linspace(DELTA, T, steps + 1)
    out = {}
    t0 = time.perf_counter()
    for w in (0.0, 1.0):
        y = y0.copy()
        for st in range(steps):
            k = steps - st
            tk, tk1 = grid[k], grid[k - 1]
            h = tk - tk1
            s_all, _ = mix.score_and_log(y, tk)
            s_c, _ = mix.score_and_log(y, tk, mask)
            sw = (1 + w) * s_c - w * s_all
            f, g2 = -1.0, 2.0
            y = y + h * (-f * y + g2 * sw) + np.sqrt(h * g2) * noise[st]
        _, lp = mix.score_and_log(y, DELTA)
        _, lq = mix.score_and_log(y, DELTA, mask)
        out[w] = float(np.mean(lp - lq))  # log phi = log p - log (p(.|c) pi_c) = -log p(c|y)
    elapsed = time.perf_counter() - t0
    return paths * steps * 2 / elapsed, out


def one_d():
    return Mixture([0.2, 0.2, 0.6], [[-2.0], [1.0], [0.5]], [0.09, 0.25, 1.0], [0, 0, 1])


def digits(data_dir):
    raw = np.loadtxt(f"{data_dir}/digits.csv", delimiter=",")
    x, labels = raw[:, :-1] / 8.0 - 1.0, raw[:, -1].astype(int)
    n = len(labels)
    return Mixture(np.full(n, 1.0 / n), x, np.zeros(n), labels)


def main():
    data_dir = sys.argv[1] if len(sys.argv) > 1 else "data/sklearn"
    for name, mix, paths, steps in (("1d_cfg", one_d(), 65536, 100), ("digits", digits(data_dir), 256, 10)):
        rate, elog = run(mix, 0, paths, steps)
        print(json.dumps({"workload": name, "paths": paths, "steps": steps, "path_steps_per_s": rate,
                          "E_log_phi": {str(k): v for k, v in elog.items()}}))


if __name__ == "__main__":
    main()
