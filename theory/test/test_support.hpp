// Shared test vocabulary for the theory layer (after Boost.Math's tests):
// the scalar types under test, a higher-precision reference type, tolerances
// in epsilons of the type under test, and random mixtures drawn in double
// (so that the very same model exists exactly in every scalar type).
#pragma once

#include <gtest/gtest.h>

#include <boost/math/quadrature/tanh_sinh.hpp>
#include <boost/multiprecision/mpfr.hpp>
#include <iomanip>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "gdverify/theory.hpp"

namespace gdverify::test {

/// Reference precision for derivatives and tail values: 100 digits.
using Real100 = boost::multiprecision::number<boost::multiprecision::mpfr_float_backend<100>,
                                              boost::multiprecision::et_off>;

using ScalarTypes = ::testing::Types<double, Real50>;

template <class Real>
Real eps() {
  return boost::math::tools::epsilon<Real>();
}

template <class Real>
std::string full(const Real& x) {
  std::ostringstream os;
  os << std::setprecision(std::numeric_limits<Real>::max_digits10) << x;
  return os.str();
}

/// A mixture specified in double; converted exactly to any scalar type.
struct MixtureSpec {
  int dim = 1;
  std::vector<double> priors;
  std::vector<std::vector<double>> weights;             // [class][component]
  std::vector<std::vector<std::vector<double>>> means;  // [class][component][i]
  std::vector<std::vector<std::vector<double>>> covs;   // [class][component][i*d+j]

  template <class Real>
  MixtureModel<Real> model() const {
    std::vector<ClassSpec<Real>> cls;
    for (std::size_t c = 0; c < priors.size(); ++c) {
      ClassSpec<Real> cs;
      cs.prior = Real(priors[c]);
      for (std::size_t k = 0; k < weights[c].size(); ++k) {
        cs.weights.push_back(Real(weights[c][k]));
        Vector<Real> m(dim);
        Matrix<Real> s(dim, dim);
        for (int i = 0; i < dim; ++i) {
          m(i) = Real(means[c][k][static_cast<std::size_t>(i)]);
          for (int j = 0; j < dim; ++j) s(i, j) = Real(covs[c][k][static_cast<std::size_t>(i * dim + j)]);
        }
        cs.means.push_back(m);
        cs.covariances.push_back(s);
      }
      cls.push_back(cs);
    }
    return MixtureModel<Real>::from_classes(cls);
  }
};

/// Random mixture: means uniform in [-3, 3]^d, covariances A A^T + 0.1 I with
/// A uniform in [-1, 1]^{d x d} (in 1-D: a variance in [0.1, 1.1]), priors and
/// weights uniform then normalised in double.
inline MixtureSpec random_mixture(std::mt19937_64& rng, int dim, int classes, int comps) {
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  MixtureSpec s;
  s.dim = dim;
  double psum = 0;
  for (int c = 0; c < classes; ++c) {
    s.priors.push_back(0.2 + (u(rng) + 1.0));
    psum += s.priors.back();
    std::vector<double> w;
    double wsum = 0;
    std::vector<std::vector<double>> ms, cs;
    for (int k = 0; k < comps; ++k) {
      w.push_back(0.2 + (u(rng) + 1.0));
      wsum += w.back();
      std::vector<double> m(static_cast<std::size_t>(dim));
      for (auto& v : m) v = 3.0 * u(rng);
      std::vector<double> a(static_cast<std::size_t>(dim * dim));
      for (auto& v : a) v = u(rng);
      std::vector<double> cov(static_cast<std::size_t>(dim * dim));
      for (int i = 0; i < dim; ++i)
        for (int j = 0; j < dim; ++j) {
          double acc = i == j ? 0.1 : 0.0;
          for (int l = 0; l < dim; ++l)
            acc += a[static_cast<std::size_t>(i * dim + l)] * a[static_cast<std::size_t>(j * dim + l)];
          cov[static_cast<std::size_t>(i * dim + j)] = acc;
        }
      // exact symmetry in double: copy the lower triangle up
      for (int i = 0; i < dim; ++i)
        for (int j = i + 1; j < dim; ++j)
          cov[static_cast<std::size_t>(i * dim + j)] = cov[static_cast<std::size_t>(j * dim + i)];
      ms.push_back(m);
      cs.push_back(cov);
    }
    for (auto& v : w) v /= wsum;
    s.weights.push_back(w);
    s.means.push_back(ms);
    s.covs.push_back(cs);
  }
  for (auto& p : s.priors) p /= psum;
  return s;
}

inline std::vector<double> random_point(std::mt19937_64& rng, int dim, double scale) {
  std::uniform_real_distribution<double> u(-scale, scale);
  std::vector<double> x(static_cast<std::size_t>(dim));
  for (auto& v : x) v = u(rng);
  return x;
}

template <class Real>
Vector<Real> to_vector(const std::vector<double>& v) {
  Vector<Real> x(static_cast<Eigen::Index>(v.size()));
  for (std::size_t i = 0; i < v.size(); ++i) x(static_cast<Eigen::Index>(i)) = Real(v[i]);
  return x;
}

/// Converts between scalar types through a decimal string at the source's
/// full precision (exact for double -> any wider type).
template <class To, class From>
To convert(const From& x) {
  if constexpr (std::is_same_v<To, From>) {
    return x;
  } else if constexpr (std::is_same_v<From, double>) {
    return To(x);
  } else if constexpr (std::is_same_v<To, double>) {
    return static_cast<double>(x);
  } else {
    return To(full(x));
  }
}

template <class To, class From>
Vector<To> convert(const Vector<From>& v) {
  Vector<To> out(v.size());
  for (Eigen::Index i = 0; i < v.size(); ++i) out(i) = convert<To>(v(i));
  return out;
}

/// |a - b| <= tol, printing both values at full precision and the distance in epsilons.
template <class Real>
::testing::AssertionResult within(const Real& computed, const Real& expected, const Real& tol) {
  using std::abs;
  const Real diff = abs(computed - expected);
  if (diff <= tol) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "computed " << full(computed) << "\n expected " << full(expected) << "\n |diff| = " << full(diff)
         << " > tol " << full(tol) << " (" << full(Real(diff / eps<Real>())) << " eps)";
}

}  // namespace gdverify::test

namespace gdverify::test {

/// Eighth-order central difference f'(x) with step h:
/// [672 D1 - 168 D2 + 32 D3 - 3 D4] / (840 h), Dj = f(x + j h) - f(x - j h).
/// Truncation error O(h^8 f^(9)); used at 100 digits with h = 1e-12, so the
/// reference derivative is good to ~1e-85, far below every tolerance it meets.
template <class H, class F>
H central_difference(F&& f, const H& x, const H& h) {
  auto d = [&](int j) { return f(x + j * h) - f(x - j * h); };
  return (672 * d(1) - 168 * d(2) + 32 * d(3) - 3 * d(4)) / (840 * h);
}

inline Real100 fd_step() { return Real100("1e-12"); }

/// A tanh-sinh integrator usable for MPFR types too: the default smallest
/// endpoint complement (min_value * 4) is ~1e-323228496 for MPFR and makes the
/// abscissa bound infinite; eps^4 keeps every abscissa well inside the
/// segment, which is enough for the smooth integrands on finite segments here.
template <class Real>
boost::math::quadrature::tanh_sinh<Real> make_tanh_sinh() {
  const Real e = eps<Real>();
  return boost::math::quadrature::tanh_sinh<Real>(15, e * e * e * e);
}

}  // namespace gdverify::test
