// The certified degraded probability (certified_degraded.hpp).
#include "certified_degraded.hpp"

#include <arb_hypgeom.h>

#include <algorithm>
#include <functional>
#include <map>
#include <utility>
#include <vector>

#include "certified_flow.hpp"
#include "certified_integral.hpp"
#include "gdverify/numerics/format_significant.hpp"
#include "gdverify/numerics/quadrature_support.hpp"
#include "gdverify/theory/guided_score.hpp"

namespace gdverify::checks::detail {
namespace {

using numerics::detail::point;

/// Standard deviations of every start component that the cut range covers:
/// the start law's mass outside is at most erfc(8 / sqrt 2) ~ 1.3e-15, and
/// it is added to the upper bound (enclosed, not assumed).
constexpr double kRangeSd = 8;

/// The start law's CDF at x (enclosed): sum_k w_k Phi((x - m_k) / s_k),
/// Phi(z) = erfc(-z / sqrt 2) / 2 (erfc keeps the far left tail accurate).
struct StartLaw {
  std::vector<Ball> weight, mean, sd;
  [[nodiscard]] Ball cdf(const Ball& x) const {
    Ball out(0);
    for (std::size_t k = 0; k < weight.size(); ++k) out += weight[k] * tail(-(x - mean[k]) / sd[k]);
    return out;
  }
  /// sum_k w_k (1 - Phi((x - m_k) / s_k)).
  [[nodiscard]] Ball upper_tail(const Ball& x) const {
    Ball out(0);
    for (std::size_t k = 0; k < weight.size(); ++k) out += weight[k] * tail((x - mean[k]) / sd[k]);
    return out;
  }
  /// erfc(z / sqrt 2) / 2 = 1 - Phi(z).
  static Ball tail(const Ball& z) {
    Ball arg = z / sqrt(Ball(2)), r;
    arb_hypgeom_erfc(acb_realref(r.get()), acb_realref(arg.get()), ball_bits());
    return r / 2;
  }
};

enum class Side { degraded, improved, undecided };

/// log phi over a ball Y in the mean-value form
///   log phi(Y) in log phi(m) + grad log phi(Y) (Y - m),  m the midpoint,
/// grad log phi = s - s^r (GuidedEvaluation::grad_log_metric). Where both
/// flows end deep in the guided class's mode, log phi is nearly flat and the
/// direct evaluation (two log-sum-exps, each as wide as the score times the
/// radius) would swamp the tiny difference between them; this form's width is
/// the gradient's size times the radius, small exactly there.
Ball log_metric_over(const GuidedScore<Ball>& field, const Ball& y) {
  const Ball m = median(y);
  const auto e = field.evaluate(point(y));
  return field.log_metric(point(m)) + e.grad_log_metric()(0) * (y - m);
}

}  // namespace

DegradedEnclosure certified_degraded_probability(const GuidanceProblem<Ball>& problem,
                                                 const ForwardProcess<Ball>& process, double t_start,
                                                 double t_end, double w_flow,
                                                 const DegradedSettings& settings) {
  const BallPrecision precision(kDegradedBits);
  const CertifiedOdeFlow flow(problem, process, t_start, t_end, settings.steps);
  const GuidedScore<Ball> end_field(problem, process, Ball(t_end));
  const auto start_model = problem.target().at_time(process, Ball(t_start));
  StartLaw law;
  double lo = 0, hi = 0;
  bool first = true;
  for (const auto& k : start_model.components()) {
    law.weight.push_back(k.weight);
    law.mean.push_back(k.mean(0));
    law.sd.push_back(sqrt(k.covariance(0, 0)));
    const double m = midpoint_of(law.mean.back()), s = midpoint_of(law.sd.back());
    lo = first ? m - kRangeSd * s : std::min(lo, m - kRangeSd * s);
    hi = first ? m + kRangeSd * s : std::max(hi, m + kRangeSd * s);
    first = false;
  }
  // Every start point's two flows (w_flow and 0), computed in batches.
  std::map<double, std::pair<Ball, Ball>> flows;
  DegradedEnclosure out;
  auto compute = [&](const std::vector<double>& xs) {
    if (xs.empty()) return;
    const auto guided = flow.flow_all(xs, w_flow);
    const auto plain = flow.flow_all(xs, 0.0);
    for (std::size_t i = 0; i < xs.size(); ++i) flows[xs[i]] = {guided[i], plain[i]};
    out.trajectories += static_cast<int>(2 * xs.size());
  };
  auto classify = [&](double a, double b) {
    const auto& fa = flows.at(a);
    const auto& fb = flows.at(b);
    for (const Ball* f : {&fa.first, &fa.second, &fb.first, &fb.second})
      if (!f->is_finite()) return Side::undecided;
    // log phi(Y^0) - log phi(Y^w) over the interval's hulls: < 0 is degraded.
    Ball diff;
    try {
      diff = log_metric_over(end_field, hull(fa.second, fb.second)) -
             log_metric_over(end_field, hull(fa.first, fb.first));
    } catch (const NotDecidable&) {
      return Side::undecided;
    }
    if (arb_is_negative(acb_realref(diff.get()))) return Side::degraded;
    if (arb_is_positive(acb_realref(diff.get()))) return Side::improved;
    return Side::undecided;
  };
  auto mass = [&](double a, double b) { return law.cdf(Ball(b)) - law.cdf(Ball(a)); };
  auto finite_flows = [&](double x) {
    const auto& f = flows.at(x);
    return f.first.is_finite() && f.second.is_finite();
  };

  std::vector<double> cuts;
  for (int i = 0; i <= settings.initial_cuts; ++i) cuts.push_back(lo + (hi - lo) * i / settings.initial_cuts);
  cuts.back() = hi;
  compute(cuts);
  struct Piece {
    double a, b;
    Side side;
  };
  std::vector<Piece> pieces;
  for (std::size_t i = 0; i + 1 < cuts.size(); ++i) pieces.push_back({cuts[i], cuts[i + 1], Side::undecided});
  for (auto& p : pieces) p.side = classify(p.a, p.b);
  out.tail_mass = law.cdf(Ball(lo)) + law.upper_tail(Ball(hi));
  auto bounds = [&](Ball& lower, Ball& undecided) {
    lower = Ball(0);
    undecided = Ball(0);
    for (const auto& p : pieces) {
      if (p.side == Side::degraded) lower += mass(p.a, p.b);
      if (p.side == Side::undecided) undecided += mass(p.a, p.b);
    }
  };
  Ball lower, undecided;
  for (int round = 0;; ++round) {
    bounds(lower, undecided);
    const bool settled = magnitude_bound(undecided) <= settings.relative_gap * midpoint_of(lower);
    if (settled || round == settings.rounds) break;
    // Split the undecided pieces, heaviest first, within the budget; never a
    // piece with an endpoint whose flow was given up on (measured on the
    // default mixture: their midpoints fail too, and the budget went there).
    std::vector<std::pair<double, double>> candidates;  // (mass bound, midpoint)
    for (const auto& p : pieces) {
      if (p.side != Side::undecided || !finite_flows(p.a) || !finite_flows(p.b)) continue;
      const double m = p.a + (p.b - p.a) / 2;
      if (m > p.a && m < p.b) candidates.emplace_back(magnitude_bound(mass(p.a, p.b)), m);
    }
    std::sort(candidates.begin(), candidates.end(), std::greater<>());
    std::vector<double> mids;
    for (const auto& c : candidates)
      if (out.trajectories + 2 * static_cast<int>(mids.size() + 1) <= settings.max_trajectories)
        mids.push_back(c.second);
    if (mids.empty()) break;
    compute(mids);
    std::vector<Piece> next;
    for (const auto& p : pieces) {
      const double m = p.a + (p.b - p.a) / 2;
      if (p.side != Side::undecided || flows.count(m) == 0) {
        next.push_back(p);
        continue;
      }
      next.push_back({p.a, m, classify(p.a, m)});
      next.push_back({m, p.b, classify(m, p.b)});
    }
    pieces = std::move(next);
  }
  for (const auto& [x, f] : flows) out.given_up += !(f.first.is_finite() && f.second.is_finite());
  out.lower = lower;
  out.upper = lower + undecided + out.tail_mass;
  out.intervals = static_cast<int>(pieces.size());
  for (const auto& p : pieces) {
    out.degraded += p.side == Side::degraded;
    out.undecided += p.side == Side::undecided;
  }
  out.range = "[" + numerics::format_significant(lo, 8) + ", " + numerics::format_significant(hi, 8) + "]";
  return out;
}

}  // namespace gdverify::checks::detail
