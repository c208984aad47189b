// The CFG metric of THEORY.md section 1: phi(y) = 1 / p_t(c | y), the
// reciprocal classifier probability, and its logarithm
//   log phi = log p_t(y) - log pi_c - log p_t(y | c),
// formed from two log-sum-exps over the same component terms so that it stays
// finite where p_t(c | y) underflows (THEORY.md section 5).
#pragma once

#include <cmath>

#include "gdverify/theory/linear_algebra.hpp"
#include "gdverify/theory/mixture_marginal.hpp"

namespace gdverify {

/// log(1 / p_t(c | y)).
template <class Real>
Real log_reciprocal_classifier_metric(const MixtureMarginal<Real>& marginal, int c, const Vector<Real>& y) {
  return -marginal.log_classifier(c, y);
}

/// 1 / p_t(c | y); +inf only when the true value overflows Real.
template <class Real>
Real reciprocal_classifier_metric(const MixtureMarginal<Real>& marginal, int c, const Vector<Real>& y) {
  using std::exp;
  return exp(log_reciprocal_classifier_metric(marginal, c, y));
}

}  // namespace gdverify
