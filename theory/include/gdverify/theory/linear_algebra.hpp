// Eigen vocabulary types for a generic scalar `Real`, and the validation of
// covariance-like matrices. Including boost/multiprecision/eigen.hpp gives Eigen
// the NumTraits of every Boost.Multiprecision number, so the same code runs for
// double and for the 50-digit type (THEORY.md section 1).
#pragma once

#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <Eigen/LU>
#include <boost/math/special_functions/fpclassify.hpp>
#include <boost/math/tools/precision.hpp>
#include <boost/multiprecision/eigen.hpp>
#include <cmath>
#include <string>

#include "gdverify/theory/errors.hpp"

namespace gdverify {

template <class Real>
using Vector = Eigen::Matrix<Real, Eigen::Dynamic, 1>;
template <class Real>
using Matrix = Eigen::Matrix<Real, Eigen::Dynamic, Eigen::Dynamic>;

/// True when every entry is finite (no NaN, no inf).
template <class Derived>
bool all_finite(const Eigen::MatrixBase<Derived>& m) {
  for (Eigen::Index j = 0; j < m.cols(); ++j)
    for (Eigen::Index i = 0; i < m.rows(); ++i)
      if (!boost::math::isfinite(m(i, j))) return false;
  return true;
}

/// (m + m^T) / 2, evaluated into a new matrix (never in place: m + m^T
/// assigned to m itself would read entries already overwritten).
template <class Real>
Matrix<Real> symmetric_part(const Matrix<Real>& m) {
  Matrix<Real> out = m + m.transpose();
  return out / Real(2);
}

/// Throws InvalidParameter(field) unless `m` is finite and of size d x d.
template <class Real>
void require_finite_square(const Matrix<Real>& m, Eigen::Index d, const std::string& field) {
  if (m.rows() != d || m.cols() != d)
    throw InvalidParameter(field, "expected a " + std::to_string(d) + "x" + std::to_string(d) +
                                      " matrix, got " + std::to_string(m.rows()) + "x" +
                                      std::to_string(m.cols()));
  if (!all_finite(m)) throw InvalidParameter(field, "contains NaN or infinity");
}

/// Symmetry test |m_ij - m_ji| <= 8 eps max(|m_ij|, |m_ji|): a matrix typed in
/// symmetrically is symmetric exactly; 8 eps allows for a matrix produced by a
/// few rounded operations (e.g. A A^T) on the caller's side.
template <class Real>
void require_symmetric(const Matrix<Real>& m, const std::string& field) {
  using boost::multiprecision::abs;
  using std::abs;
  const Real eps = boost::math::tools::epsilon<Real>();
  for (Eigen::Index i = 0; i < m.rows(); ++i)
    for (Eigen::Index j = 0; j < i; ++j) {
      Real scale = abs(m(i, j)) > abs(m(j, i)) ? abs(m(i, j)) : abs(m(j, i));
      if (abs(m(i, j) - m(j, i)) > 8 * eps * scale)
        throw InvalidParameter(
            field, "matrix is not symmetric (entry " + std::to_string(i) + "," + std::to_string(j) + ")");
    }
}

/// Cholesky factor of a symmetric positive definite matrix, or InvalidParameter.
/// Positive definiteness is decided by the factorisation itself: Eigen's LLT
/// reports failure on a non-positive pivot; a pivot below n eps times the
/// largest diagonal entry is treated as singular (the matrix is then positive
/// definite only up to rounding, and its inverse is meaningless).
template <class Real>
Eigen::LLT<Matrix<Real>> spd_factor(const Matrix<Real>& m, const std::string& field) {
  require_symmetric(m, field);
  const Matrix<Real> sym = symmetric_part(m);
  Eigen::LLT<Matrix<Real>> llt(sym);
  if (llt.info() != Eigen::Success)
    throw InvalidParameter(field, "matrix is not symmetric positive definite");
  const Real eps = boost::math::tools::epsilon<Real>();
  const Real max_diag = sym.diagonal().maxCoeff();
  const Matrix<Real>& l = llt.matrixLLT();
  for (Eigen::Index i = 0; i < l.rows(); ++i)
    if (l(i, i) * l(i, i) <= Real(static_cast<int>(sym.rows())) * eps * max_diag)
      throw InvalidParameter(field, "matrix is singular (not positive definite)");
  return llt;
}

}  // namespace gdverify
