// Comparisons that an interval type can answer. Comparing two overlapping
// intervals has no answer (Boost's MPFI backend aborts the process on it), so
// the input checks of the theory compare intervals by their ends: an interval
// input is rejected only when it certainly violates a bound. Its double copy
// has already been checked in full (docs/theory.md section 6).
#pragma once

#include <boost/multiprecision/number.hpp>

namespace gdverify {

/// a > b for every value the two admit (for plain scalars: a > b).
template <class Real>
bool certainly_greater(const Real& a, const Real& b) {
  if constexpr (boost::multiprecision::is_interval_number<Real>::value) {
    return lower(a) > upper(b);
  } else {
    return a > b;
  }
}

}  // namespace gdverify
