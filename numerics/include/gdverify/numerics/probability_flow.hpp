// The guided probability-flow ODE of THEORY.md section 1, in reverse time
// tau = T - t:  dY/dtau = -f(t) Y + (g(t)^2 / 2) s^w_t(Y),  integrated from
// t = t_start (tau = T - t_start) down to t = t_end by the classical
// fourth-order Runge-Kutta method on a uniform tau grid. The map y -> Y is
// the deterministic coupling of T3 (same start for every w).
#pragma once

#include "gdverify/theory/forward_process.hpp"
#include "gdverify/theory/guidance_problem.hpp"
#include "gdverify/theory/linear_algebra.hpp"

namespace gdverify::numerics {

template <class Real>
Vector<Real> probability_flow(const GuidanceProblem<Real>& problem, const ForwardProcess<Real>& process,
                              const Real& w, const Vector<Real>& y_start, const Real& t_start,
                              const Real& t_end, int steps);

}  // namespace gdverify::numerics
