// The validated probability-flow enclosure (certified_flow.hpp).
#include "certified_flow.hpp"

#include <cmath>
#include <string>

#include "certified_integral.hpp"
#include "gdverify/numerics/quadrature_support.hpp"
#include "gdverify/theory/errors.hpp"
#include "gdverify/theory/guided_score.hpp"

namespace gdverify::checks::detail {
namespace {

using numerics::detail::point;

/// The drift and what the step needs of it, over one box of y and one time ball.
struct Drift {
  Ball b, b_y, b_tau;
};

/// b, b_y and b_tau (header) over (the field's time, y); the ou drift.
Drift drift(const GuidedScore<Ball>& field, const Ball& y, const Ball& w, bool derivatives) {
  const auto e = field.evaluate(point(y), EvalRequest{true, derivatives, derivatives, derivatives});
  const Ball one_plus_w = 1 + w;
  Drift d;
  d.b = y + (one_plus_w * e.target.score(0) - w * e.base.score(0));
  if (derivatives) {
    d.b_y = 1 + (one_plus_w * e.target.hessian(0, 0) - w * e.base.hessian(0, 0));
    d.b_tau = -(one_plus_w * e.target.dscore_dt(0) - w * e.base.dscore_dt(0));
  }
  return d;
}

/// x widened by `by` on both sides (a real ball).
Ball widened(const Ball& x, double by) { return x + Ball::real_interval(-by, by); }

/// The a priori box of every solution that starts in `start` over the step
/// (times `over_step`, length h; `span` = [0, h]), with the drift over it, by
/// epsilon-inflated Picard iteration: accepted when start + span b(T, B) lies
/// in B. `guess` is the drift at the step's start.
Drift a_priori(const GuidedScore<Ball>& over_step, const Ball& start, const Ball& span, const Ball& guess,
               const Ball& w, double h) {
  Ball box =
      widened(start + span * guess, 0.5 * h * magnitude_bound(guess) + 1e-14 * (1 + magnitude_bound(start)));
  for (int attempt = 0; attempt < 12; ++attempt) {
    Drift d = drift(over_step, box, w, true);
    const Ball image = start + span * d.b;
    if (contains(box, image)) return d;
    box = widened(image, radius_of(image) + 1e-14 * (1 + magnitude_bound(image)));
  }
  throw FlowNotValidated("no a priori enclosure over a step of length " + std::to_string(h) +
                         " (take more steps)");
}

}  // namespace

CertifiedOdeFlow::CertifiedOdeFlow(const GuidanceProblem<Ball>& problem, const ForwardProcess<Ball>& process,
                                   double t_start, double t_end, int steps)
    // The ou coefficients do not depend on the horizon; a longer one keeps the
    // step's time ball, whose upper end the ball's radius rounds past t_start,
    // inside the schedule's domain (check_time cannot compare overlapping balls).
    : problem_(problem),
      process_(ForwardProcess<Ball>::ou(Ball(2 * t_start + 1))),
      t_start_(t_start),
      t_end_(t_end),
      steps_(steps) {
  if (problem.dimension() != 1) throw InvalidParameter("dimension", "the certified flow is 1-D");
  if (process.kind() != ScheduleKind::ou) throw InvalidParameter("schedule", "the certified flow runs on ou");
  if (steps < 1) throw InvalidParameter("steps", "must be >= 1");
  if (!(t_start > t_end && t_end > 0)) throw InvalidParameter("t_start", "must exceed t_end > 0");
}

CertifiedOdeFlow::Step CertifiedOdeFlow::step_between(const Ball& t_hi, const Ball& t_lo) const {
  const Ball h = t_hi - t_lo;
  return Step{t_hi,
              t_lo,
              h,
              hull(h, Ball(0)),  // [0, h]
              magnitude_bound(h),
              GuidedScore<Ball>(problem_, process_, t_hi),
              GuidedScore<Ball>(problem_, process_, hull(t_lo, t_hi))};
}

std::vector<Ball> CertifiedOdeFlow::flow_all(const std::vector<double>& starts, double w_value) const {
  std::vector<Ball> y;
  y.reserve(starts.size());
  for (double s : starts) y.emplace_back(s);
  const Ball w(w_value);
  // The grid t_k = t_start - k (t_start - t_end) / steps, each t_k enclosed
  // (the same ball serves as the end of one step and the start of the next).
  // (A grid graded towards t_end, steps proportional to t + 0.05, measured
  // worse on the default mixture: the counterexample was no longer decided.)
  auto grid = [&](int k) {
    return Ball(t_start_) - (Ball(t_start_) - Ball(t_end_)) * Ball(k) / Ball(steps_);
  };
  Ball t_hi = Ball(t_start_);
  for (int k = 0; k < steps_; ++k) {
    const Ball t_lo = k + 1 == steps_ ? Ball(t_end_) : grid(k + 1);
    const Step step = step_between(t_hi, t_lo);
    for (Ball& yi : y) {
      if (!yi.is_finite()) continue;  // a trajectory given up on below
      try {
        advance(yi, step, w, 0);
      } catch (
          const std::runtime_error&) {  // FlowNotValidated, or NotDecidable: a box too wide to evaluate on
        acb_indeterminate(yi.get());
      }
    }
    t_hi = t_lo;
  }
  return y;
}

void CertifiedOdeFlow::advance(Ball& yi, const Step& step, const Ball& w, int halvings) const {
  try {
    const Ball m = median(yi);
    const Ball b0 = drift(step.at_start, m, w, false).b;
    const Drift box = a_priori(step.over_step, m, step.span, b0, w, step.h_bound);
    Ball next = m + step.h * b0 + (step.h * step.h / 2) * (box.b_tau + box.b_y * box.b);
    if (radius_of(yi) > 0) {
      const Drift wide = a_priori(step.over_step, yi, step.span, b0, w, step.h_bound);
      next += exp(step.h * wide.b_y) * (yi - m);
    }
    yi = std::move(next);
  } catch (const std::runtime_error&) {  // FlowNotValidated or NotDecidable: halve the step
    if (halvings == kMaxHalvings) throw;
    const Ball t_mid = (step.t_hi + step.t_lo) / 2;
    advance(yi, step_between(step.t_hi, t_mid), w, halvings + 1);
    advance(yi, step_between(t_mid, step.t_lo), w, halvings + 1);
  }
}

}  // namespace gdverify::checks::detail
