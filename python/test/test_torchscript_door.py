"""The TorchScript door, through the command line: a network with the exact
score passes every check; a network trained for too few steps by
examples/train_score_model.py is caught as score error, while T1 (a theorem
about the sampler, not about the score) still holds with it."""
import json
import os
import subprocess
import sys

import pytest

torch = pytest.importorskip("torch")

GDVERIFY = os.environ.get("GDVERIFY_BINARY", "")
SOURCE = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

SCENARIO = """
name = "gaussian-reward"
dimension = 1
seed = 7
[schedule]
names = ["ou"]
ou_horizon = 2.0
early_stop = 1e-2
[guidance]
kind = "reward"
scales = [1.0]
[reward]
center = [2.0]
precision = [[1.0]]
linear = [0.0]
[[classes]]
prior = 1.0
  [[classes.components]]
  weight = 1.0
  mean = [0.5]
  covariance = [[1.0]]
[samplers]
names = ["euler-maruyama"]
steps = [16]
[monte_carlo]
paths = 4096
"""


class GaussianScore(torch.nn.Module):
    """The exact score of N(m, v) data under ou: -(x - a m) / (a^2 v + s^2)."""

    def __init__(self, m: float, v: float):
        super().__init__()
        self.m = m
        self.v = v

    def forward(self, x: torch.Tensor, t: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
        a = torch.exp(-t).unsqueeze(1)
        s2 = 1 - a * a
        return -(x - a * self.m) / (a * a * self.v + s2)


def assess(tmp_path, *args):
    if not GDVERIFY or not os.path.exists(GDVERIFY):
        pytest.skip("GDVERIFY_BINARY not set")
    out = tmp_path / ("r%d.json" % len(list(tmp_path.iterdir())))
    r = subprocess.run([GDVERIFY, "assess", "--scenario", str(tmp_path / "s.toml"), "--form", "reward",
                        "--json", str(out), *args], capture_output=True, text=True)
    if not out.exists():
        raise AssertionError(r.stdout + r.stderr)
    return {c["name"]: c["verdict"] for c in json.loads(out.read_text())["checks"]}, r.returncode


def test_the_exact_gaussian_score_as_torchscript_passes(tmp_path):
    (tmp_path / "s.toml").write_text(SCENARIO)
    torch.jit.script(GaussianScore(0.5, 1.0)).save(str(tmp_path / "base.pt"))
    # the tilted law: precision 1/v + P = 2, mean (m/v + P a) / 2 = 1.25
    torch.jit.script(GaussianScore(1.25, 0.5)).save(str(tmp_path / "tilted.pt"))
    v, rc = assess(tmp_path, "--score-model", str(tmp_path / "base.pt"), "--tilted-model",
                   str(tmp_path / "tilted.pt"), "--float64")
    assert rc == 0 and set(v.values()) == {"pass"}, v


def test_a_network_trained_for_too_few_steps_is_caught_as_score_error(tmp_path):
    (tmp_path / "s.toml").write_text(SCENARIO)
    env = dict(os.environ)
    subprocess.run([sys.executable, os.path.join(SOURCE, "examples", "train_score_model.py"), "--out",
                    str(tmp_path / "net"), "--scenario", str(tmp_path / "s.toml"), "--form", "reward",
                    "--steps", "40", "--data", "4000"], check=True, env=env, capture_output=True)
    v, rc = assess(tmp_path, "--score-model", str(tmp_path / "net" / "model.pt"), "--tilted-model",
                   str(tmp_path / "net" / "tilted.pt"), "--parameterisation", "epsilon")
    assert rc == 1
    assert v["model.score-error.reward.euler-maruyama"] == "fail", v
    assert v["model.T1.reward.euler-maruyama"] == "pass", v
