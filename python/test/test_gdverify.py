"""The gdverify Python module: the exact score, the model door with a NumPy
callable (both parameterisations), and the samples door with a sampler written
in NumPy (correct, and with the guidance sign flipped). Seeds are fixed; the
verdicts' own levels are documented in docs/theory.md section 5."""
import math

import numpy as np
import pytest

import gdverify


def small_scenario():
    sc = gdverify.default_scenario()
    sc.guidance_scales = [2.0]
    sc.steps = [32]
    sc.paths = 4096
    return sc


def verdicts(results):
    return {r["name"]: r["verdict"] for r in results}


def test_exact_score_shape_and_eps_mapping():
    sc = small_scenario()
    score = gdverify.exact_score(sc, "reward")
    x = np.linspace(-2, 2, 7).reshape(-1, 1)
    s = score(x, 0.5, "unconditional", -1)
    assert s.shape == (7, 1) and np.all(np.isfinite(s))
    st = score(x, 0.5, "reward-tilted", -1)
    assert not np.allclose(s, st)
    with pytest.raises(ValueError):
        score(x, 0.5, "no-such-query", -1)
    assert gdverify.guidance_scale_to_w(7.5) == 6.5
    with pytest.raises(ValueError):
        gdverify.guidance_scale_to_w(0.5)


def test_the_exact_score_passes_in_either_parameterisation():
    sc = small_scenario()
    score = gdverify.exact_score(sc, "reward")
    as_score = verdicts(gdverify.assess(score, sc, "reward", samplers=["euler-maruyama"]))
    assert set(as_score.values()) == {"pass"}, as_score

    def eps(x, t, query, label):  # the same model as a noise prediction: eps = -sigma_t s
        return -math.sqrt(sc.sigma2(t)) * score(x, t, query, label)

    as_eps = verdicts(gdverify.assess(eps, sc, "reward", samplers=["euler-maruyama"], parameterisation="epsilon"))
    assert as_eps == as_score


def test_a_shrunk_score_fails_its_score_error_budget():
    sc = small_scenario()
    score = gdverify.exact_score(sc, "reward")
    v = verdicts(gdverify.assess(lambda x, t, q, c: 0.8 * score(x, t, q, c), sc, "reward",
                                 samplers=["euler-maruyama"]))
    assert v["model.score-error.reward.euler-maruyama"] == "fail"


def test_a_callable_of_the_wrong_shape_is_an_error_not_a_verdict():
    sc = small_scenario()
    r = verdicts(gdverify.assess(lambda x, t, q, c: np.zeros(3), sc, "reward", samplers=["ddim"]))
    assert set(r.values()) == {"error"}, r


def numpy_em_samples(sc, w, n, sign, seed):
    """A user's Euler-Maruyama sampler in NumPy, started from the exact q_T (drawn
    with a seed of its own, so that it is independent of the reference run)."""
    score = gdverify.exact_score(sc, "reward")
    rng = np.random.default_rng(seed)
    N = sc.steps[-1]
    grid = np.linspace(sc.early_stop, sc.t_start, N + 1)
    grid[-1] = sc.t_start
    y = sc.exact_start("reward", n, seed)
    for k in range(N, 0, -1):
        tk, tk1 = grid[k], grid[k - 1]
        h = tk - tk1
        su = score(y, tk, "unconditional", -1)
        st = score(y, tk, "reward-tilted", -1)
        sw = st + sign * w * (st - su)
        y = y + h * (-sc.f(tk) * y + sc.g2(tk) * sw) + math.sqrt(h * sc.g2(tk)) * rng.standard_normal(y.shape)
    return y


def test_the_samples_door_passes_a_correct_numpy_sampler_and_catches_a_flipped_sign(tmp_path):
    sc = small_scenario()
    for name, sign in (("correct", 1.0), ("flipped", -1.0)):
        d = tmp_path / name
        d.mkdir()
        np.save(d / "w_0.npy", numpy_em_samples(sc, 0.0, 4096, sign, 5))
        np.save(d / "gamma_3.npy", numpy_em_samples(sc, 2.0, 4096, sign, 6))  # gamma = 1 + w
        v = verdicts(gdverify.assess_samples(sc, str(d), "reward", "euler-maruyama", reference_paths=16384))
        if sign > 0:
            assert set(v.values()) == {"pass"}, v
        else:
            assert v["samples.log-phi.reward.w=2"] == "fail", v


def test_the_form_defaults_to_the_scenarios_own_and_an_unposed_form_is_refused():
    sc = gdverify.parse_scenario('[guidance]\nkind = "cfg"\nscales = [2.0]\n'
                                 '[samplers]\nnames = ["euler-maruyama"]\nsteps = [16]\n'
                                 '[monte_carlo]\npaths = 1024\n')
    assert sc.forms == ["cfg"]
    score = gdverify.exact_score(sc)  # the cfg form's exact score
    names = verdicts(gdverify.assess(score, sc)).keys()
    assert names and all(".cfg." in n for n in names), names
    with pytest.raises(ValueError, match="--form"):
        gdverify.assess(score, sc, "reward")
