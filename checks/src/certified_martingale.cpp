// Certified L1(a) and L1(b) (certified_martingale.hpp). The theory templates
// are instantiated here, once, for the Arb ball.
#include "certified_martingale.hpp"

#include <cmath>

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

/// The residual (integral - expected) / expected of one integral, into `d`.
bool add(ResidualDecider& d, const CertifiedIntegral& in, const Ball& expected, const std::string& where) {
  d.count(in.evaluations);
  if (!in.ok) return d.refuse(in.why + ", at " + where);
  return d.add((in.value - expected) / expected, in.value, expected, "(integral - expected) / expected",
               integral_method(in), where);
}

/// The L1(a) integrand at time t and its envelope (the objects its
/// functions refer to live here, so it is neither copied nor moved):
///   CFG:     q_t / p_t(c | x) = q_t p_t / sum_{k in c} w_k N_k,
///   reward:  q_t Z / u_t = Z q_t sum_k e^{log_w} / sum_k e^{log_w + log_e}.
struct MarginalIntegrand {
  MarginalIntegrand(const GuidanceProblem<Ball>& problem, const GaussianReward<Ball>& r,
                    const ForwardProcess<Ball>& proc, GuidanceKind kind, int c, const Ball& t, const Ball& lz)
      : p(problem.base()),
        reward(r),
        pt(p, proc, t),
        qt(problem.target(), proc, t),
        alpha(proc.alpha(t)),
        sigma2(proc.sigma2(t)),
        log_z(lz) {
    const auto p_t = p.at_time(proc, t);
    if (kind == GuidanceKind::cfg) {
      integrand.f = [this, c](const Ball& x) {
        return exp(qt.log_density(point(x)) - pt.log_classifier(c, point(x)));
      };
      integrand.numerators = {mixture_terms(problem.target().at_time(proc, t)), mixture_terms(p_t)};
      integrand.denominator = mixture_terms(p_t, c);
      return;
    }
    integrand.f = [this](const Ball& x) {
      return exp(qt.log_density(point(x)) + log_z - log_posterior_reward(p, reward, alpha, sigma2, x));
    };
    integrand.numerators = {mixture_terms(problem.target().at_time(proc, t)), {}};
    for (std::size_t k = 0; k < p.components().size(); ++k) {
      integrand.numerators[1].push_back(quadratic_through(
          [&](const Ball& x) { return posterior_reward_terms(p, reward, alpha, sigma2, x).log_w[k]; }));
      integrand.denominator.push_back(quadratic_through([&](const Ball& x) {
        const auto pr = posterior_reward_terms(p, reward, alpha, sigma2, x);
        return pr.log_w[k] + pr.log_e[k];
      }));
    }
    integrand.log_factor = log_z;
  }
  MarginalIntegrand(const MarginalIntegrand&) = delete;
  MarginalIntegrand& operator=(const MarginalIntegrand&) = delete;

  MixtureModel<Ball> p;
  GaussianReward<Ball> reward;
  MixtureMarginal<Ball> pt, qt;
  Ball alpha, sigma2, log_z;
  LineIntegrand integrand;
};

}  // namespace

Certificate certify_marginal_martingale(const Scenario& sc, const std::string& schedule, GuidanceKind kind,
                                        const Perturbation& pert, double tolerance) {
  const auto problem = numerics::detail::scenario_problem<Ball>(sc, kind);
  const auto proc = sc.process<Ball>(schedule);
  const auto& p = problem.base();
  const int c = sc.guided_class;
  const auto reward = sc.gaussian_reward<Ball>();
  const Ball perturbed = 1 + Ball(pert.prior_error);
  ResidualDecider decide(tolerance);
  Ball log_z(0);
  if (kind == GuidanceKind::reward) {
    // Z = integral p_0 r, certified the same way.
    const auto p0 = MixtureMarginal<Ball>::of(p);
    LineIntegrand gz;
    gz.f = [&](const Ball& x) { return exp(p0.log_density(point(x)) + reward.log_reward(point(x))); };
    gz.numerators = {mixture_terms(p),
                     {quadratic_through([&](const Ball& x) { return reward.log_reward(point(x)); })}};
    const auto z = certified_line_integral(gz, kCertifiedGoalBits);
    if (!z.ok) {
      Certificate out;
      out.why = "Z = E_p[r]: " + z.why;
      return out;
    }
    log_z = log(z.value * perturbed);
  }
  const Ball expected = kind == GuidanceKind::cfg ? 1 / (p.prior(c) * perturbed) : Ball(1);
  for (const double td : time_grid<double>(sc.t_min(), sc.t_max(schedule), 7)) {
    const MarginalIntegrand mi(problem, reward, proc, kind, c, Ball(td), log_z);
    if (!add(decide, certified_line_integral(mi.integrand, kCertifiedGoalBits), expected,
             "t = " + format_significant(td, 17)))
      break;
  }
  return decide.result();
}

CertifiedIntegral certified_marginal_integral(const Scenario& sc, const std::string& schedule, double t) {
  const auto problem = numerics::detail::scenario_problem<Ball>(sc, GuidanceKind::cfg);
  const MarginalIntegrand mi(problem, sc.gaussian_reward<Ball>(), sc.process<Ball>(schedule),
                             GuidanceKind::cfg, sc.guided_class, Ball(t), Ball(0));
  return certified_line_integral(mi.integrand, kCertifiedGoalBits);
}

Certificate certify_process_martingale(const Scenario& sc, const std::string& schedule, GuidanceKind kind,
                                       const Perturbation& pert, double tolerance) {
  const auto problem = numerics::detail::scenario_problem<Ball>(sc, kind);
  const auto proc = sc.process<Ball>(schedule);
  ResidualDecider decide(tolerance);
  for (const ProcessDraw& d : process_martingale_draws(sc, schedule, kind)) {
    const Ball t2(d.t2), t1(d.t1);
    const Vector<Ball> y = point(Ball(d.y));
    const auto kernel = process_martingale_kernel(problem, proc, t2, t1, y, pert);
    const auto km = MixtureMarginal<Ball>::of(kernel);
    const GuidedScore<Ball> f2(problem, proc, t2), f1(problem, proc, t1);
    // kernel phi_t2 = kappa kernel p_t2 / q_t2.
    LineIntegrand g;
    g.f = [&](const Ball& x) { return exp(km.log_density(point(x)) + f2.log_metric(point(x))); };
    g.numerators = {mixture_terms(kernel), mixture_terms(problem.base().at_time(proc, t2))};
    g.denominator = mixture_terms(problem.target().at_time(proc, t2));
    g.log_factor = problem.log_metric_scale();
    const auto in = certified_line_integral(g, kCertifiedGoalBits);
    const Ball phi1 = f1.metric(y);
    if (!add(decide, in, phi1,
             "t2 = " + format_significant(d.t2, 17) + ", t1 = " + format_significant(d.t1, 17) +
                 ", y = " + format_significant(d.y, 17)))
      break;
  }
  return decide.result();
}

}  // namespace gdverify::checks::detail
