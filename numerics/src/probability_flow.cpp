#include "gdverify/numerics/probability_flow.hpp"

#include "gdverify/theory/errors.hpp"
#include "gdverify/theory/guided_score.hpp"
#include "gdverify/theory/real_types.hpp"

namespace gdverify::numerics {

template <class Real>
Vector<Real> probability_flow(const GuidanceProblem<Real>& problem, const ForwardProcess<Real>& process,
                              const Real& w, const Vector<Real>& y_start, const Real& t_start,
                              const Real& t_end, int steps) {
  if (steps < 1) throw InvalidParameter("steps", "must be >= 1");
  if (!(t_end < t_start)) throw InvalidParameter("t_end", "must be < t_start");
  const Real h = (t_start - t_end) / Real(steps);  // tau step; t decreases by h
  // dY/dtau at time t
  auto rhs = [&](const Real& t, const Vector<Real>& y) {
    return GuidedScore<Real>(problem, process, t).ode_drift(y, w);
  };
  Vector<Real> y = y_start;
  for (int k = 0; k < steps; ++k) {
    const Real t = t_start - h * Real(k);
    const Vector<Real> k1 = rhs(t, y);
    const Vector<Real> k2 = rhs(t - h / 2, y + (h / 2) * k1);
    const Vector<Real> k3 = rhs(t - h / 2, y + (h / 2) * k2);
    const Vector<Real> k4 = rhs(t - h, y + h * k3);
    y += (h / 6) * (k1 + 2 * k2 + 2 * k3 + k4);
  }
  return y;
}

template Vector<double> probability_flow<double>(const GuidanceProblem<double>&,
                                                 const ForwardProcess<double>&, const double&,
                                                 const Vector<double>&, const double&, const double&, int);
template Vector<Real50> probability_flow<Real50>(const GuidanceProblem<Real50>&,
                                                 const ForwardProcess<Real50>&, const Real50&,
                                                 const Vector<Real50>&, const Real50&, const Real50&, int);

}  // namespace gdverify::numerics
