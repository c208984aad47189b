// Log-sum-exp, the stable way to add probabilities kept in log space
// (THEORY.md section 5: "evaluate every ratio in log space").
#pragma once

#include <cmath>
#include <limits>
#include <vector>

#include "gdverify/theory/certainly.hpp"

namespace gdverify {

/// log(sum_i exp(v_i)) with the largest term factored out:
/// m + log(sum_i exp(v_i - m)), m = max_i v_i. Returns -inf for an empty range
/// or when every term is -inf.
///
/// The identity holds for any shift m, which is what an interval type needs:
/// comparing two overlapping intervals has no answer (Boost's MPFI backend
/// aborts on it), so for intervals m is the point at the largest midpoint and
/// the result is an enclosure all the same.
template <class Real>
Real log_sum_exp(const std::vector<Real>& v) {
  using std::exp;
  using std::log;
  if (v.empty()) return -std::numeric_limits<Real>::infinity();
  if constexpr (is_enclosure_v<Real>) {
    auto m = median(v.front());
    for (const Real& x : v)
      if (median(x) > m) m = median(x);
    const Real shift(m);
    Real s = 0;
    for (const Real& x : v) s += exp(x - shift);
    return shift + log(s);
  } else {
    Real m = v.front();
    for (const Real& x : v)
      if (x > m) m = x;
    if (m == -std::numeric_limits<Real>::infinity()) return m;
    Real s = 0;
    for (const Real& x : v) s += exp(x - m);
    return m + log(s);
  }
}

}  // namespace gdverify
