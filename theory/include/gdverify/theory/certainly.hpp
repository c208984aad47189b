// Comparisons that an interval type can answer. Comparing two overlapping
// intervals has no answer (Boost's MPFI backend aborts the process on it), so
// the input checks of the theory compare intervals by their ends: an interval
// input is rejected only when it certainly violates a bound. Its double copy
// has already been checked in full (docs/theory.md section 6).
#pragma once

#include <boost/multiprecision/number.hpp>
#include <type_traits>

namespace gdverify {

/// True for the scalar types whose values are enclosures (an interval, a
/// ball) rather than points: Boost's interval numbers, and any type a caller
/// declares one by specialising this trait (the Arb ball of the certified
/// integrals). Such a type offers median, lower and upper by ADL.
template <class Real>
struct is_enclosure : std::bool_constant<boost::multiprecision::is_interval_number<Real>::value> {};
template <class Real>
inline constexpr bool is_enclosure_v = is_enclosure<Real>::value;

/// a > b for every value the two admit (for plain scalars: a > b).
template <class Real>
bool certainly_greater(const Real& a, const Real& b) {
  if constexpr (is_enclosure_v<Real>) {
    return lower(a) > upper(b);
  } else {
    return a > b;
  }
}

}  // namespace gdverify
