// Certified CFG=R and R2 (certified_reward.hpp). The theory templates are
// instantiated here for the Arb ball.
#include "certified_reward.hpp"

#include <functional>
#include <vector>

#include "arb_ball.hpp"
#include "certified_integral.hpp"
#include "gdverify/numerics/format_significant.hpp"
#include "gdverify/numerics/quadrature_support.hpp"
#include "gdverify/theory.hpp"

namespace gdverify::checks::detail {

using namespace gdverify::numerics;
using numerics::detail::point;
using numerics::detail::time_grid;

namespace {

/// log r(x0) through the theory, and the Gaussian-term sums it is made of
/// (r = prod numerators / denominator, as in LineIntegrand).
struct LogReward {
  std::function<Ball(const Ball&)> log_r;
  std::vector<std::vector<GaussianExponent>> numerators;
  std::vector<GaussianExponent> denominator;
};

/// The two posterior moments at (t, y), certified, and the integrals behind them.
struct Moments {
  CertifiedIntegral u, g;  ///< integral post r, integral post r (-(y - a x0) / s2)
  [[nodiscard]] bool ok() const { return u.ok && g.ok; }
  [[nodiscard]] Ball score() const { return g.value / u.value; }
};

Moments certified_moments(const MixtureModel<Ball>& p, const ForwardProcess<Ball>& proc, const Ball& t,
                          const Ball& y, const LogReward& r) {
  // The posterior of X_0 given X_t = y, unnormalised as in the 50-digit
  // moments: forward_posterior(p, 0, t, y) is a mixture, its density times r.
  const auto post = forward_posterior(p, proc, Ball(0), t, point(y));
  const auto pm = MixtureMarginal<Ball>::of(post);
  const Ball a = proc.alpha(t), s2 = proc.sigma2(t);
  LineIntegrand g;
  g.f = [&](const Ball& x0) { return exp(pm.log_density(point(x0)) + r.log_r(x0)); };
  g.numerators = {mixture_terms(post)};
  g.numerators.insert(g.numerators.end(), r.numerators.begin(), r.numerators.end());
  g.denominator = r.denominator;
  Moments m;
  m.u = certified_line_integral(g, kCertifiedGoalBits);
  // The score's moment: the same integrand times -(y - a x0) / s2.
  LineIntegrand gs = g;
  gs.f = [&](const Ball& x0) { return exp(pm.log_density(point(x0)) + r.log_r(x0)) * (-(y - a * x0) / s2); };
  gs.has_linear_factor = true;
  gs.linear_a = -y / s2;
  gs.linear_b = a / s2;
  m.g = certified_line_integral(gs, kCertifiedGoalBits);
  return m;
}

std::string at(double t, double y) {
  return "t = " + format_significant(t, 17) + ", y = " + format_significant(y, 17);
}

/// Counts m's evaluations into `d`; refuses (false) when an integral failed.
bool counted(ResidualDecider& d, const Moments& m, const std::string& where) {
  d.count(m.u.evaluations + m.g.evaluations);
  return m.ok() || d.refuse((m.u.ok ? m.g.why : m.u.why) + ", at " + where);
}

/// Adds (lhs - rhs) / scale to `d`; false once decided.
bool add(ResidualDecider& d, const Ball& lhs, const Ball& rhs, const Ball& scale, const std::string& quantity,
         const Moments& m, const std::string& where) {
  return d.add((lhs - rhs) / scale, lhs, rhs, quantity, integral_method(m.g), where);
}

}  // namespace

Certificate certify_reweighted_score_matching(const Scenario& sc, const std::string& schedule,
                                              const Perturbation& pert, double tolerance) {
  const auto p = sc.mixture<Ball>();
  const auto reward = sc.gaussian_reward<Ball>();
  const auto proc = sc.process<Ball>(schedule);
  const auto problem = GuidanceProblem<Ball>::reward(p, reward);
  LogReward r;
  r.log_r = [&](const Ball& x0) { return reward.log_reward(point(x0)); };
  r.numerators = {{quadratic_through(r.log_r)}};
  ResidualDecider decide(tolerance);
  for (const double td : time_grid<double>(reward_checks_first_time(sc, schedule), sc.t_max(schedule), 3)) {
    const Ball t(td);
    const MixtureMarginal<Ball> qt(problem.target(), proc, t);
    const GuidedScore<Ball> field(problem, proc, t);
    for (const double yd : {-1.5, 0.25, 2.0}) {
      const Ball y(yd);
      const Moments m = certified_moments(p, proc, t, y, r);
      if (!counted(decide, m, at(td, yd))) return decide.result();
      const Ball minimiser = m.score() + Ball(pert.score_error);
      const Ball sr = qt.score(point(y))(0);
      if (!add(decide, minimiser, sr, abs(sr) + 1, "(minimiser - s^r) / (|s^r| + 1)", m, at(td, yd)))
        return decide.result();
      const Ball u = exp(field.log_expected_reward(point(y)));
      if (!add(decide, m.u.value, u, u, "(E[r | y] - Z q_t / p_t) / (Z q_t / p_t)", m, at(td, yd)))
        return decide.result();
    }
  }
  return decide.result();
}

Certificate certify_cfg_is_reward(const Scenario& sc, const std::string& schedule, const Perturbation& pert,
                                  double tolerance) {
  const auto p = sc.mixture<Ball>();
  const auto proc = sc.process<Ball>(schedule);
  const int c = sc.guided_class;
  const auto p0 = MixtureMarginal<Ball>::of(p);
  LogReward r;  // r = p_0(c | x0) = sum_{k in c} w_k N_k / sum_k w_k N_k
  r.log_r = [&](const Ball& x0) { return p0.log_classifier(c, point(x0)); };
  r.numerators = {mixture_terms(p, c)};
  r.denominator = mixture_terms(p);
  ResidualDecider decide(tolerance);
  // Z = E_p[r(X_0)] against pi_c.
  LineIntegrand gz;
  gz.f = [&](const Ball& x) { return exp(p0.log_density(point(x)) + r.log_r(x)); };
  gz.numerators = {mixture_terms(p), mixture_terms(p, c)};
  gz.denominator = mixture_terms(p);
  const auto z_in = certified_line_integral(gz, kCertifiedGoalBits);
  decide.count(z_in.evaluations);
  if (!z_in.ok) {
    decide.refuse("Z = E_p[r]: " + z_in.why);
    return decide.result();
  }
  const Ball z = z_in.value;
  const Ball pi_c = p.prior(c) * (1 + Ball(pert.prior_error));
  if (!decide.add((z - pi_c) / pi_c, z, pi_c, "(Z - pi_c) / pi_c", integral_method(z_in), "Z"))
    return decide.result();
  const auto cfg = GuidanceProblem<Ball>::cfg(p, c);
  const Ball w(2);
  for (const double td : time_grid<double>(reward_checks_first_time(sc, schedule), sc.t_max(schedule), 3)) {
    const Ball t(td);
    const GuidedScore<Ball> field(cfg, proc, t);
    for (const double yd : {-1.5, 0.25, 2.0}) {
      const Ball y(yd);
      const Moments m = certified_moments(p, proc, t, y, r);
      if (!counted(decide, m, at(td, yd))) return decide.result();
      const Ball sr = m.score() + Ball(pert.score_error);
      const auto e = field.evaluate(point(y));
      const Ball s_c = e.target.score(0);
      if (!add(decide, sr, s_c, abs(s_c) + 1, "(s^r - s_c) / (|s_c| + 1)", m, at(td, yd)))
        return decide.result();
      const Ball g_r = (1 + w) * sr - w * e.base.score(0);
      const Ball g_c = e.guided_score(w)(0);
      if (!add(decide, g_r, g_c, abs(g_c) + 1, "(guided_r - guided_cfg) / (|guided_cfg| + 1)", m, at(td, yd)))
        return decide.result();
      const Ball phi_r = z / m.u.value;
      const Ball phi_c = pi_c * exp(e.log_metric);
      if (!add(decide, phi_r, phi_c, phi_c, "(Z / u_t - pi_c phi) / (pi_c phi)", m, at(td, yd)))
        return decide.result();
    }
  }
  return decide.result();
}

}  // namespace gdverify::checks::detail
