// The guided probability-flow ODE in 1-D as a deterministic map y0 -> Y^w(y0)
// from the exact start q_{t_start} down to t_end (THEORY.md T3, oracle 2):
//  * the law of Y^w by characteristics: E[phi(Y^w)] = int phi(Y) q_start(y0(Y)) (dy0/dY) dY
//    over the endpoint Y (where phi's mass is: in start-point coordinates the
//    integrand of a heavy-tailed phi is a narrow spike), with y0(Y) and dy0/dY
//    from the backward flow and its variational equation; 20-point
//    Gauss-Legendre on segments one narrowest standard deviation wide over
//    +-12 sd (mass outside < 1e-32);
//  * the degraded set D_w = {y0 : phi(Y^w(y0)) > phi(Y^0(y0))}, for CFG
//    {y0 : p_{t_end}(c | Y^w(y0)) < p_{t_end}(c | Y^0(y0))},
//    of the coupling (same start for w and 0): its boundary points are the
//    sign changes of log phi(Y^0) - log phi(Y^w) + 1e-8 on the nodes (1e-8: the
//    flow's resolution), refined by
//    TOMS 748, and P(D_w) is a sum of differences of the start law's CDF.
// The flow is integrated by classical RK4, all nodes at once (one field
// construction per stage), on a grid of `steps` uniform steps over
// [t_end, min(t_start, 2)] (h = 0.005 at the defaults) and, when t_start > 2,
// steps ten times longer over [2, t_start]: beyond t = 2 the ou field is
// nearly linear with rates near 1 (every class variance has grown past
// 1 - e^-4), while near t_end it is as stiff as the narrowest class. With
// t_start <= 2 the grid is the uniform one. (A uniform grid of 400 steps on
// [1e-3, 50] has h = 0.125 near t_end and missed its own refinement by 2.4e-3.)
#pragma once

#include <vector>

#include "gdverify/theory/forward_process.hpp"
#include "gdverify/theory/guidance_problem.hpp"

namespace gdverify::numerics {

struct CharacteristicsResult {
  double degraded_probability;     ///< P(D_w) under the start law
  std::vector<double> boundaries;  ///< boundary points of D_w (start values y0)
  double
      min_log_ratio;  ///< min over nodes of log phi(Y^0) - log phi(Y^w) (log p(c|Y^w) - log p(c|Y^0) for CFG)
};

class OdeCharacteristics {
 public:
  /// `problem` in 1-D; "degraded" means a larger metric (for CFG a smaller p(c|y)).
  OdeCharacteristics(const GuidanceProblem<double>& problem, const ForwardProcess<double>& process,
                     double t_start, double t_end, int steps);

  [[nodiscard]] CharacteristicsResult run(double w) const;

  /// E[phi_{t_end}(Y^w)] by quadrature over the endpoint with the backward
  /// flow and its Jacobian (robust where phi is heavy-tailed, THEORY.md section 5).
  [[nodiscard]] double expected_metric(double w) const;

  /// Y^w(y0) for one start value.
  [[nodiscard]] double flow(double y0, double w) const;
  /// Y^w(y0) for many start values at once (one field construction per stage).
  [[nodiscard]] std::vector<double> flow_all(std::vector<double> y, double w) const;

 private:
  GuidanceProblem<double> problem_;
  ForwardProcess<double> process_;
  double t_start_, t_end_;
  int steps_;
  std::vector<double> grid_;             ///< the step times, from t_start down to t_end
  std::vector<double> nodes_, weights_;  ///< start values and quadrature weights q(y0) dy0
};

}  // namespace gdverify::numerics
