// A T2 verdict from a fitted order (THEORY.md T2: weak order 1, up to log
// factors): |order - 1| against kOrderTolerance, shared by every weak-order check.
#pragma once

#include <string>

#include "gdverify/checks/check.hpp"
#include "gdverify/convergence/convergence_study.hpp"

namespace gdverify::checks {

using convergence::OrderFit;

// The fitted order's distance from 1 is judged against 0.1: with the error
// expansion e_N = C1/N + C2/N^2 + ..., a least-squares slope over N >= N_min
// deviates from 1 by about C2/(C1 N) <= 0.1 whenever |C2/C1| <= N_min/10; a larger
// deviation means the sampler is not first order there (reported, not loosened).
inline constexpr double kOrderTolerance = 0.1;

/// name, description, the order as lhs against `expected` (1 for the
/// first-order samplers, 2 for Heun), residual |order - expected|, tolerance
/// kOrderTolerance (the same argument: e_N = C_p/N^p + C_{p+1}/N^{p+1} gives a
/// slope off by about C_{p+1}/(C_p N)), the verdict, and details["order_95ci"] over `range`.
checks::CheckResult order_verdict(const std::string& name, const std::string& description,
                                  const OrderFit& fit, const std::string& range, const std::string& scalar,
                                  int digits, double expected = 1.0);

}  // namespace gdverify::checks
