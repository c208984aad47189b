// Google Benchmark: one 50-digit L1(a) integral E_{q_t}[phi_t] (CFG form, ou
// schedule, t = 1) three ways on the same integrand
//   f(x) = q_t(x) / p_t(c | x) = q_t(x) p_t(x) / sum_{k in c} w_k N_k(x)
// (exactly 1 / pi_c): gdverify's certified path (Arb through the theory
// templates, with the tail bound), gdverify's tanh-sinh estimate (the 50-digit
// check), and raw Arb with the integrand written by hand in acb calls on the
// same interval and goal (the anchor). bench/quadrature_side_by_side.sh adds
// mpmath and prints the ratios. Speed is measured here, never asserted.
#include <acb_calc.h>
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "certified_martingale.hpp"
#include "gdverify/numerics/quadrature.hpp"
#include "gdverify/numerics/quadrature_support.hpp"
#include "gdverify/numerics/scenario.hpp"
#include "gdverify/numerics/scenario_file.hpp"
#include "gdverify/theory.hpp"

namespace {

using namespace gdverify;
using checks::Ball;
using checks::kBallBits;

constexpr double kTime = 1.0;
constexpr long kGoalBits = 166;

/// The two workloads: the default scenario (3 components, 2 classes) and a
/// plain 2-class mixture of one Gaussian per class.
numerics::Scenario workload(int which) {
  if (which == 0) return numerics::default_scenario();
  return numerics::parse_scenario(
      "[[classes]]\nprior = 0.5\n[[classes.components]]\nweight = 1.0\nmean = [-1.0]\ncovariance = [[0.25]]\n"
      "[[classes]]\nprior = 0.5\n[[classes.components]]\nweight = 1.0\nmean = [1.0]\ncovariance = [[0.25]]\n"
      "[guidance]\nkind = \"cfg\"\n",
      "two-class");
}
const char* label(int which) { return which == 0 ? "default-3-component" : "two-class"; }

void report(benchmark::State& state, const Ball& value, long evaluations, int which) {
  state.counters["value_midpoint"] = checks::detail::midpoint_of(value);
  state.counters["value_radius"] = checks::detail::radius_of(value);
  state.counters["evaluations"] = static_cast<double>(evaluations);
  state.SetLabel(label(which));
}

void BM_CertifiedIntegral(benchmark::State& state) {
  const auto sc = workload(static_cast<int>(state.range(0)));
  checks::detail::CertifiedIntegral r;
  for (auto _ : state) {
    r = checks::detail::certified_marginal_integral(sc, "ou", kTime);
    benchmark::DoNotOptimize(r.value);
  }
  if (!r.ok) state.SkipWithError(r.why.c_str());
  report(state, r.value, r.evaluations, static_cast<int>(state.range(0)));
  state.counters["lo"] = r.lo;
  state.counters["hi"] = r.hi;
}
BENCHMARK(BM_CertifiedIntegral)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

void BM_TanhSinhIntegral(benchmark::State& state) {
  using Real = Real50;
  const auto sc = workload(static_cast<int>(state.range(0)));
  const auto problem = numerics::detail::scenario_problem<Real>(sc, GuidanceKind::cfg);
  const auto proc = sc.process<Real>("ou");
  const Real t(kTime);
  const MixtureMarginal<Real> pt(problem.base(), proc, t), qt(problem.target(), proc, t);
  auto bumps = numerics::detail::bumps_of(problem.base().at_time(proc, t));
  const int c = sc.guided_class;
  long evaluations = 0;
  const std::function<Real(const Real&)> f = [&](const Real& x) {
    ++evaluations;
    return exp(qt.log_density(numerics::detail::point(x)) - pt.log_classifier(c, numerics::detail::point(x)));
  };
  numerics::QuadratureResult<Real> q{};
  for (auto _ : state) {
    evaluations = 0;
    q = numerics::integrate_line<Real>(f, bumps);
    benchmark::DoNotOptimize(q.value);
  }
  state.counters["value_midpoint"] = static_cast<double>(q.value);
  state.counters["error_estimate"] = static_cast<double>(q.error);
  state.counters["evaluations"] = static_cast<double>(evaluations);
  state.SetLabel(label(static_cast<int>(state.range(0))));
}
BENCHMARK(BM_TanhSinhIntegral)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

/// Raw Arb: the components' means and variances at t, and the integrand as
/// three direct sums of weighted Gaussians in acb calls (no logs, no theory).
struct RawMixture {
  struct Term {
    arb_t amp, mean, inv2v;  ///< w / sqrt(2 pi v), m, 1 / (2 v)
    int label;
  };
  std::vector<Term> terms;
  Ball inv_prior;
  int cls = 0;
  long evaluations = 0;
  RawMixture(const numerics::Scenario& sc, double t) : cls(sc.guided_class) {
    const auto mix = sc.mixture<double>();
    inv_prior = Ball(1) / Ball(mix.prior(cls));
    arb_t a, s2, pi, tmp;
    arb_init(a);
    arb_init(s2);
    arb_init(pi);
    arb_init(tmp);
    arb_set_d(a, -t);
    arb_exp(a, a, kBallBits);  // ou: alpha = e^{-t}, sigma^2 = 1 - e^{-2t}
    arb_mul(s2, a, a, kBallBits);
    arb_sub_ui(s2, s2, 1, kBallBits);
    arb_neg(s2, s2);
    arb_const_pi(pi, kBallBits);
    terms.resize(mix.components().size());
    for (std::size_t i = 0; i < terms.size(); ++i) {
      const auto& k = mix.components()[i];
      Term& r = terms[i];
      arb_init(r.amp);
      arb_init(r.mean);
      arb_init(r.inv2v);
      r.label = k.label;
      arb_set_d(tmp, k.covariance(0, 0));  // v = a^2 s^2 + sigma^2
      arb_mul(tmp, tmp, a, kBallBits);
      arb_mul(tmp, tmp, a, kBallBits);
      arb_add(tmp, tmp, s2, kBallBits);
      arb_set_d(r.mean, k.mean(0));
      arb_mul(r.mean, r.mean, a, kBallBits);
      arb_mul_2exp_si(r.inv2v, tmp, 1);
      arb_inv(r.inv2v, r.inv2v, kBallBits);
      arb_mul(r.amp, tmp, pi, kBallBits);
      arb_mul_2exp_si(r.amp, r.amp, 1);
      arb_rsqrt(r.amp, r.amp, kBallBits);
      arb_set_d(tmp, k.weight);
      arb_mul(r.amp, r.amp, tmp, kBallBits);
    }
    arb_clear(a);
    arb_clear(s2);
    arb_clear(pi);
    arb_clear(tmp);
  }
  ~RawMixture() {
    for (auto& r : terms) {
      arb_clear(r.amp);
      arb_clear(r.mean);
      arb_clear(r.inv2v);
    }
  }
  static int integrand(acb_ptr out, const acb_t x, void* param, slong /*order*/, slong prec) {
    auto* m = static_cast<RawMixture*>(param);
    ++m->evaluations;
    acb_t d, all, in_c;
    acb_init(d);
    acb_init(all);
    acb_init(in_c);
    for (const auto& r : m->terms) {  // w N(x; m, v) = amp exp(-(x - m)^2 / (2 v))
      acb_sub_arb(d, x, r.mean, prec);
      acb_mul(d, d, d, prec);
      acb_mul_arb(d, d, r.inv2v, prec);
      acb_neg(d, d);
      acb_exp(d, d, prec);
      acb_mul_arb(d, d, r.amp, prec);
      acb_add(all, all, d, prec);
      if (r.label == m->cls) acb_add(in_c, in_c, d, prec);
    }
    // q_t p_t / (pi_c p_t(.|c)) with q_t = p_t(.|c) = in_c / pi_c.
    acb_mul(out, in_c, all, prec);
    acb_div(out, out, in_c, prec);
    acb_mul(out, out, m->inv_prior.get(), prec);
    acb_clear(d);
    acb_clear(all);
    acb_clear(in_c);
    return 0;
  }
};

void BM_RawArbIntegral(benchmark::State& state) {
  const int which = static_cast<int>(state.range(0));
  const auto sc = workload(which);
  // The same interval as the certified path.
  const auto ref = checks::detail::certified_marginal_integral(sc, "ou", kTime);
  RawMixture m(sc, kTime);
  acb_t a, b, r;
  acb_init(a);
  acb_init(b);
  acb_init(r);
  acb_set_d(a, ref.lo);
  acb_set_d(b, ref.hi);
  mag_t tol;
  mag_init(tol);
  mag_set_ui_2exp_si(tol, 1, -kGoalBits);
  for (auto _ : state) {
    m.evaluations = 0;
    acb_calc_integrate(r, RawMixture::integrand, &m, a, b, kGoalBits, tol, nullptr, kBallBits);
  }
  Ball value(r);
  report(state, value, m.evaluations, which);
  mag_clear(tol);
  acb_clear(a);
  acb_clear(b);
  acb_clear(r);
}
BENCHMARK(BM_RawArbIntegral)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
