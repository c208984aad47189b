// Property tests (RapidCheck on GoogleTest): the identities of THEORY.md
// sections 2-3 hold on generated mixtures, schedules, times, points and w.
// CI runs them with RC_PARAMS="seed=20261123 max_success=100" (set by CTest);
// a failure prints RapidCheck's reproduce string (see README).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <boost/math/tools/precision.hpp>

#include "gdverify/numerics/quadrature.hpp"
#include "gdverify/numerics/reweighted_score.hpp"
#include "gdverify/theory.hpp"
#include "generators.hpp"

namespace gdverify::properties {
namespace {

using Real = Real50;

Vector<Real> to_vec(const std::vector<double>& v) {
  Vector<Real> x(static_cast<Eigen::Index>(v.size()));
  for (std::size_t i = 0; i < v.size(); ++i) x(static_cast<Eigen::Index>(i)) = Real(v[i]);
  return x;
}

Real time_in(const numerics::Scenario& s, const std::string& sched, double frac) {
  return Real(s.t_min()) + (Real(s.t_max(sched)) - Real(s.t_min())) * Real(frac);
}

// L1(c) and T1 pointwise at 50 digits; tolerance 64 (d + K) eps times the
// rounding scale of the evaluation (as in the L1c/T1 checks).
RC_GTEST_PROP(Identities, GeneratorIdentityAndDissipation, ()) {
  const auto s = *scenario(3);
  const auto sched = *schedule();
  const Real t = time_in(s, sched, *time_fraction());
  const Real w = Real(*guidance_scale());
  const auto y = to_vec(*point(s.dimension));
  const bool reward = *rc::gen::arbitrary<bool>();
  const auto p = s.mixture<Real>();
  const auto problem = reward ? GuidanceProblem<Real>::reward(p, s.gaussian_reward<Real>())
                              : GuidanceProblem<Real>::cfg(p, s.guided_class);
  RC_TAG(sched, reward ? "reward" : "cfg", s.dimension);  // prints the case count and mix
  const GuidedScore<Real> field(problem, s.process<Real>(sched), t);
  const auto terms = metric_generator_terms(field, y, w);
  const int k = static_cast<int>(problem.base().components().size() + problem.target().components().size());
  const Real tol = 64 * Real(s.dimension + k) * boost::math::tools::epsilon<Real>() * terms.magnitude();
  using std::abs;
  RC_ASSERT(abs(terms.lhs() - terms.dissipation) <= tol);
  RC_ASSERT(terms.dissipation <= 0);
}

// Classifier probabilities sum to one (double; 3 exp terms of <= 4 eps each).
RC_GTEST_PROP(Identities, ClassifierSumsToOne, ()) {
  const auto s = *scenario(3);
  const auto sched = *schedule();
  const double t = static_cast<double>(time_in(s, sched, *time_fraction()));
  const MixtureMarginal<double> m(s.mixture<double>(), s.process<double>(sched), t);
  Vector<double> y(s.dimension);
  const auto yd = *point(s.dimension);
  for (int i = 0; i < s.dimension; ++i) y(i) = yd[static_cast<std::size_t>(i)];
  double sum = 0;
  for (int c = 0; c < static_cast<int>(s.classes.size()); ++c) sum += m.classifier(c, y);
  RC_ASSERT(std::abs(sum - 1) <=
            16 * static_cast<double>(s.classes.size()) * std::numeric_limits<double>::epsilon());
}

// The tilted mixture equals p r / Z pointwise (50 digits).
RC_GTEST_PROP(Identities, TiltIsProductOverNormaliser, ()) {
  const auto s = *scenario(3);
  const auto p = s.mixture<Real>();
  const auto r = s.gaussian_reward<Real>();
  const auto q = r.tilt(p);
  const auto y = to_vec(*point(s.dimension));
  const Real lhs = MixtureMarginal<Real>::of(q.mixture).log_density(y);
  const Real lp = MixtureMarginal<Real>::of(p).log_density(y);
  const Real rhs = lp + r.log_reward(y) - q.log_normaliser;
  using std::abs;
  const Real scale = abs(lp) + abs(r.log_reward(y)) + abs(q.log_normaliser) + 1;
  RC_ASSERT(abs(lhs - rhs) <=
            64 * Real(s.dimension * s.dimension + 8) * boost::math::tools::epsilon<Real>() * scale);
}

// L1(a) in 1-D by quadrature in double: E_{q_t}[phi] = kappa. Tolerance:
// tanh-sinh's stopping rule eps^0.9 relative, times 10, plus 1e3 eps of
// rounding over the segments (as in the quadrature test).
RC_GTEST_PROP(Identities, MarginalMartingaleInOneDimension, ()) {
  auto s = *scenario(1);
  RC_PRE(s.dimension == 1);
  const auto sched = *schedule();
  const double t = static_cast<double>(time_in(s, sched, *time_fraction()));
  const bool reward = *rc::gen::arbitrary<bool>();
  const auto p = s.mixture<double>();
  const auto problem = reward ? GuidanceProblem<double>::reward(p, s.gaussian_reward<double>())
                              : GuidanceProblem<double>::cfg(p, s.guided_class);
  const auto proc = s.process<double>(sched);
  const GuidedScore<double> field(problem, proc, t);
  std::vector<numerics::Bump<double>> bumps;
  for (const auto* m : {&problem.base(), &problem.target()}) {
    const auto mt = m->at_time(proc, t);  // named: a temporary would die before the loop body
    for (const auto& k : mt.components()) bumps.push_back({k.mean(0), std::sqrt(k.covariance(0, 0))});
  }
  const std::function<double(const double&)> f = [&](const double& x) {
    Vector<double> v(1);
    v(0) = x;
    const auto e = field.evaluate(v, {false, false, false});
    return std::exp(e.target.log_density + e.log_metric);
  };
  const auto q = numerics::integrate_line<double>(f, bumps);
  const double expected = std::exp(static_cast<double>(problem.log_metric_scale()));
  const double eps = std::numeric_limits<double>::epsilon();
  RC_ASSERT(std::abs(q.value - expected) <= (10 * std::pow(eps, 0.9) + 1000 * eps) * expected);
}

}  // namespace
}  // namespace gdverify::properties

namespace gdverify::properties {
namespace {

/// Double-precision quadrature tolerance (see MarginalMartingaleInOneDimension).
double quad_tol() {
  const double eps = std::numeric_limits<double>::epsilon();
  return 10 * std::pow(eps, 0.9) + 1000 * eps;
}

std::vector<numerics::Bump<double>> bumps(const MixtureModel<double>& m) {
  std::vector<numerics::Bump<double>> out;
  for (const auto& k : m.components())
    if (k.weight > 1e-30) out.push_back({k.mean(0), std::sqrt(k.covariance(0, 0))});
  return out;
}

// L1(b) in 1-D: E[phi_{t2}(X_{t2}) | X_{t1} = y] = phi_{t1}(y), t2 < t1, with
// the exact posterior kernel under q, by quadrature in double.
RC_GTEST_PROP(Identities, ProcessMartingaleInOneDimension, ()) {
  auto s = *scenario(1);
  const auto sched = *schedule();
  double f1 = *time_fraction(), f2 = *time_fraction();
  RC_PRE(f1 != f2);
  if (f1 < f2) std::swap(f1, f2);
  const double t1 = static_cast<double>(time_in(s, sched, f1)),
               t2 = static_cast<double>(time_in(s, sched, f2));
  const bool reward = *rc::gen::arbitrary<bool>();
  const auto p = s.mixture<double>();
  const auto problem = reward ? GuidanceProblem<double>::reward(p, s.gaussian_reward<double>())
                              : GuidanceProblem<double>::cfg(p, s.guided_class);
  const auto proc = s.process<double>(sched);
  Vector<double> y(1);
  y(0) = (*point(1))[0];
  const auto kernel = forward_posterior(problem.target(), proc, t2, t1, y);
  auto bs = bumps(kernel);
  for (const auto& b : bumps(forward_posterior(problem.base(), proc, t2, t1, y))) bs.push_back(b);
  const auto km = MixtureMarginal<double>::of(kernel);
  const GuidedScore<double> field2(problem, proc, t2), field1(problem, proc, t1);
  const std::function<double(const double&)> f = [&](const double& x) {
    Vector<double> v(1);
    v(0) = x;
    return std::exp(km.log_density(v) + field2.log_metric(v));
  };
  const double phi1 = field1.metric(y);
  RC_ASSERT(std::abs(numerics::integrate_line<double>(f, bs).value - phi1) <= quad_tol() * phi1);
}

// R2 and CFG=R in 1-D: the reweighted DSM minimiser equals s^r, for the
// Gaussian-shaped reward (closed-form tilt) and for r = p_0(c | x) (whose s^r
// is the conditional score). Tolerance: the quadrature bound relative to the
// integrals' scale (score_scale) plus |s^r|, doubled for the quotient.
RC_GTEST_PROP(Identities, ReweightedScoreMatchingMinimiserInOneDimension, ()) {
  auto s = *scenario(1);
  const auto sched = *schedule();
  const double t = static_cast<double>(time_in(s, sched, *time_fraction()));
  const double y = (*point(1))[0];
  const auto p = s.mixture<double>();
  const auto proc = s.process<double>(sched);
  Vector<double> v(1);
  v(0) = y;
  if (*rc::gen::arbitrary<bool>()) {
    const auto r = s.gaussian_reward<double>();
    const std::function<double(const double&)> log_r = [&](const double& x0) {
      Vector<double> w(1);
      w(0) = x0;
      return r.log_reward(w);
    };
    const auto m = numerics::reweighted_moments<double>(p, proc, t, y, log_r);
    const double sr = MixtureMarginal<double>(r.tilt(p).mixture, proc, t).score(v)(0);
    RC_ASSERT(std::abs(m.score - sr) <= 2 * quad_tol() * (m.score_scale + std::abs(sr)));
  } else {
    const auto p0 = MixtureMarginal<double>::of(p);
    const std::function<double(const double&)> log_r = [&](const double& x0) {
      Vector<double> w(1);
      w(0) = x0;
      return p0.log_classifier(s.guided_class, w);
    };
    const auto m = numerics::reweighted_moments<double>(p, proc, t, y, log_r);
    const double sc = MixtureMarginal<double>(p, proc, t).score(v, s.guided_class)(0);
    RC_ASSERT(std::abs(m.score - sc) <= 2 * quad_tol() * (m.score_scale + std::abs(sc)));
  }
}

}  // namespace
}  // namespace gdverify::properties
