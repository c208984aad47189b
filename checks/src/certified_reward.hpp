// CFG=R and R2 of THEORY.md sections 2-3 on 1-D problems, certified: the
// posterior moments
//   u_t(y) = E[r(X_0) | X_t = y],   E[r(X_0) grad_y log p(y | X_0) | X_t = y]
// are enclosed by Arb over the whole line (certified_integral.hpp; the
// second with its linear factor -(y - alpha x0) / sigma^2), the integrands
// evaluated in ball arithmetic through the theory templates, and every
// identity of the 50-digit check is enclosed at its times and points with the
// same deliberately wrong parts (the sensitivity hooks).
#pragma once

#include <algorithm>
#include <string>

#include "certification.hpp"
#include "gdverify/checks/check.hpp"
#include "gdverify/numerics/scenario.hpp"

namespace gdverify::checks::detail {

/// The earliest time of the reward checks: 10 delta, away from the data end,
/// or the middle of [delta, t_max] when 10 delta lies beyond it (delta near
/// its upper limit, or a short ou horizon).
inline double reward_checks_first_time(const numerics::Scenario& sc, const std::string& schedule) {
  return std::min(10 * sc.t_min(), 0.5 * (sc.t_min() + sc.t_max(schedule)));
}

/// CFG=R certified at the 50-digit check's 3 times, 3 points and w = 2.
Certificate certify_cfg_is_reward(const numerics::Scenario& sc, const std::string& schedule,
                                  const Perturbation& pert, double tolerance);
/// R2 certified at the 50-digit check's 3 times and 3 points.
Certificate certify_reweighted_score_matching(const numerics::Scenario& sc, const std::string& schedule,
                                              const Perturbation& pert, double tolerance);

}  // namespace gdverify::checks::detail
