#!/usr/bin/python3
"""Train a small score network on a scenario's data by denoising score matching
and export it as TorchScript for `gdverify assess --score-model`.

    PYTHONPATH=build/release/python /usr/bin/python3 examples/train_score_model.py --out DIR
        [--scenario S.toml] [--form cfg|reward] [--steps 3000] [--seed 0]

The network predicts the noise eps (assess it with --parameterisation epsilon):
x_t = alpha_t x_0 + sigma_t eps, loss E ||eps_theta(x_t, t, c) - eps||^2 with t
half log-uniform, half uniform on [delta, t_start] (the weighting lambda(t) =
sigma_t^2 of the score loss). forward(x[n,d], t[n], c[n]) -> [n,d], with c = -1 the null class.
  --form cfg     one class-conditional network trained with a null class
                 (the label dropped to -1 with probability 0.2, as CFG is trained):
                 DIR/model.pt
  --form reward  DIR/model.pt, the unconditional network, and DIR/tilted.pt,
                 trained by the reweighted loss of R2 (docs/theory.md section 2) (each pair
                 weighted by r(x_0) / mean r): only pairs (x_0, r(x_0)), no
                 sampler trajectories
Deterministic for a fixed seed on CPU (one thread, deterministic algorithms).
The settings and the final losses go to DIR/settings.json. Data from gdverify's
Python module (Scenario.data_samples), so a scenario file works unchanged.
"""
import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch

try:
    import gdverify
except ImportError:
    sys.exit("train_score_model: the gdverify Python module is not on the path; run with "
             "PYTHONPATH=build/release/python (docs/models.md, section 4)")


class ScoreNet(torch.nn.Module):
    """MLP on (x, time features, one-hot class with a null slot) -> eps."""

    def __init__(self, d: int, classes: int, hidden: int = 128):
        super().__init__()
        self.classes = classes
        self.freqs = torch.nn.Parameter(torch.arange(1, 9, dtype=torch.float32) * math.pi / 2,
                                        requires_grad=False)
        self.net = torch.nn.Sequential(
            torch.nn.Linear(d + 18 + classes + 1, hidden), torch.nn.SiLU(),
            torch.nn.Linear(hidden, hidden), torch.nn.SiLU(),
            torch.nn.Linear(hidden, hidden), torch.nn.SiLU(),
            torch.nn.Linear(hidden, d))

    def forward(self, x: torch.Tensor, t: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
        lt = torch.log(t).unsqueeze(1)
        tt = lt * self.freqs
        onehot = torch.nn.functional.one_hot(c + 1, self.classes + 1).to(x.dtype)
        return self.net(torch.cat([x, t.unsqueeze(1), lt, torch.sin(tt), torch.cos(tt), onehot], dim=1))


def train(sc, x0, labels, weights, conditional, steps, seed, batch=512, lr=2e-3):
    torch.manual_seed(seed)
    gen = np.random.default_rng(seed)
    net = ScoreNet(sc.dimension, sc.num_classes)
    opt = torch.optim.Adam(net.parameters(), lr=lr)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, steps)
    x0 = torch.tensor(x0, dtype=torch.float32)
    labels = torch.tensor(labels, dtype=torch.int64)
    w = torch.tensor(weights, dtype=torch.float32)
    lo, hi = sc.early_stop, sc.t_start
    loss_value = float("nan")
    for step in range(steps):
        idx = torch.tensor(gen.integers(0, len(x0), batch))
        # half log-uniform (the data end), half uniform (the noise end) on [delta, t_start]
        tl = np.exp(gen.uniform(math.log(lo), math.log(hi), batch // 2))
        t = torch.tensor(np.concatenate([tl, gen.uniform(lo, hi, batch - batch // 2)]), dtype=torch.float32)
        tn = t.numpy().astype(np.float64)
        a = torch.tensor(sc.alpha(tn), dtype=torch.float32).unsqueeze(1)
        s = torch.tensor(np.sqrt(sc.sigma2(tn)), dtype=torch.float32).unsqueeze(1)
        eps = torch.randn(batch, sc.dimension)
        xt = a * x0[idx] + s * eps
        c = labels[idx].clone() if conditional else torch.full((batch,), -1, dtype=torch.int64)
        if conditional:
            c[torch.rand(batch) < 0.2] = -1
        loss = (w[idx] * ((net(xt, t, c) - eps) ** 2).sum(dim=1)).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        loss_value = float(loss)
    return net, loss_value


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, help="a directory to create (must not exist)")
    ap.add_argument("--scenario", help="scenario file (TOML); default: built in")
    ap.add_argument("--form", choices=["cfg", "reward"], default="cfg")
    ap.add_argument("--steps", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--data", type=int, default=20000, help="training pairs drawn from the data law")
    a = ap.parse_args()
    if a.steps < 1 or a.data < 2:
        sys.exit("train_score_model: --steps and --data must be positive")
    if os.path.exists(a.out):
        sys.exit(f"train_score_model: --out {a.out} exists; give a new directory")
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    sc = gdverify.load_scenario(a.scenario) if a.scenario else gdverify.default_scenario()
    x0, labels = sc.data_samples(a.data, a.seed + 1)
    t0 = time.time()
    os.makedirs(a.out)
    settings = {"scenario": sc.name, "form": a.form, "schedule": sc.schedule, "steps": a.steps, "seed": a.seed,
                "data": a.data, "batch": 512, "optimiser": "Adam lr 2e-3, cosine decay",
                "network": "MLP 3 x 128 SiLU on (x, t, log t, sin/cos of 8 log-time features, one-hot class + null)",
                "target": "eps (assess with --parameterisation epsilon)",
                "lambda(t)": "sigma_t^2 (eps loss); t half log-uniform, half uniform on [delta, t_start]"}
    ones = np.ones(len(x0))
    if a.form == "cfg":
        net, loss = train(sc, x0, labels, ones, True, a.steps, a.seed)
        torch.jit.script(net).save(os.path.join(a.out, "model.pt"))
        settings["final_loss"] = {"model": loss}
        settings["null_class_dropout"] = 0.2
    else:
        lr = sc.log_reward(x0)
        r = np.exp(lr - lr.max())
        weights = r / r.mean()
        net, loss = train(sc, x0, labels, ones, False, a.steps, a.seed)
        tnet, tloss = train(sc, x0, labels, weights, False, a.steps, a.seed + 1)
        torch.jit.script(net).save(os.path.join(a.out, "model.pt"))
        torch.jit.script(tnet).save(os.path.join(a.out, "tilted.pt"))
        settings["final_loss"] = {"model": loss, "tilted": tloss}
        settings["reweighting"] = "r(x_0) / mean r over the training pairs (R2, docs/theory.md section 2)"
    settings["seconds"] = round(time.time() - t0, 1)
    with open(os.path.join(a.out, "settings.json"), "x", encoding="utf-8") as f:
        json.dump(settings, f, indent=1)
    print(json.dumps(settings, indent=1))


if __name__ == "__main__":
    main()
