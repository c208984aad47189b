// The scalar types gdverify is instantiated and tested for: double, and a
// 50-significant-digit MPFR-based Boost.Multiprecision float with expression
// templates off (so that Eigen and `auto` see plain values).
#pragma once

#include <boost/multiprecision/mpfr.hpp>

namespace gdverify {

using Real50 = boost::multiprecision::number<boost::multiprecision::mpfr_float_backend<50>,
                                             boost::multiprecision::et_off>;

/// MPFR with the precision chosen at run time (RealVariable::default_precision(digits)),
/// used only by the quadrature-error-against-precision study.
using RealVariable = boost::multiprecision::number<boost::multiprecision::mpfr_float_backend<0>,
                                                   boost::multiprecision::et_off>;

}  // namespace gdverify
