// The Gaussian-shaped reward of THEORY.md section 2,
//   r(x) = exp(-1/2 (x - a)^T P (x - a) + b^T x),   P symmetric positive semi-definite,
// and the closed-form tilt of a Gaussian mixture by it. For one component
// N(mu, Sigma), with v = b - P (mu - a) and K = Sigma (I + P Sigma)^{-1}:
//   Z_k = E_{N(mu,Sigma)}[r] = det(I + Sigma P)^{-1/2} exp(1/2 v^T K v - 1/2 (mu-a)^T P (mu-a) + b^T mu),
//   N(x; mu, Sigma) r(x) / Z_k = N(x; mu + K v, K).
// The form avoids Sigma^{-1}, so it also holds for Sigma = 0 (empirical data:
// Z_k = r(mu), the point stays put). The tilted mixture q_0 = p_0 r / Z has
// weights w_k Z_k / Z with Z = sum_k w_k Z_k = E_p[r(X_0)].
#pragma once

#include <cmath>
#include <string>
#include <vector>

#include "gdverify/theory/errors.hpp"
#include "gdverify/theory/linear_algebra.hpp"
#include "gdverify/theory/log_sum_exp.hpp"
#include "gdverify/theory/mixture_model.hpp"

namespace gdverify {

/// A mixture tilted by a reward: q_0 = p_0 r / Z, with log Z kept in log space.
template <class Real>
struct TiltedMixture {
  MixtureModel<Real> mixture;  ///< q_0, class labels kept from p_0
  Real log_normaliser;         ///< log Z = log E_p[r(X_0)]
};

template <class Real>
class GaussianReward {
 public:
  /// r(x) = exp(-1/2 (x-a)^T P (x-a) + b^T x). Throws InvalidParameter naming
  /// `reward.center`, `reward.precision` or `reward.linear`.
  GaussianReward(Vector<Real> center, Matrix<Real> precision, Vector<Real> linear)
      : a_(std::move(center)), p_(std::move(precision)), b_(std::move(linear)) {
    const Eigen::Index d = a_.size();
    if (d < 1) throw InvalidParameter("reward.center", "dimension must be >= 1");
    if (!all_finite(a_)) throw InvalidParameter("reward.center", "contains NaN or infinity");
    if (b_.size() != d) throw InvalidParameter("reward.linear", "dimension differs from reward.center");
    if (!all_finite(b_)) throw InvalidParameter("reward.linear", "contains NaN or infinity");
    require_finite_square<Real>(p_, d, "reward.precision");
    require_symmetric<Real>(p_, "reward.precision");
    p_ = symmetric_part(p_);
    // Positive semi-definite: LDLT of P + eps*tr(P) I must succeed with D >= 0.
    Eigen::LDLT<Matrix<Real>> ldlt(p_);
    if (ldlt.info() != Eigen::Success || !(ldlt.vectorD().minCoeff() >= -tolerance_psd()))
      throw InvalidParameter("reward.precision", "must be positive semi-definite");
  }

  [[nodiscard]] int dimension() const { return static_cast<int>(a_.size()); }
  [[nodiscard]] const Vector<Real>& center() const { return a_; }
  [[nodiscard]] const Matrix<Real>& precision() const { return p_; }
  [[nodiscard]] const Vector<Real>& linear() const { return b_; }

  /// log r(x).
  [[nodiscard]] Real log_reward(const Vector<Real>& x) const {
    const Vector<Real> dx = x - a_;
    return -dx.dot(p_ * dx) / 2 + b_.dot(x);
  }
  /// grad log r(x) = -P (x - a) + b.
  [[nodiscard]] Vector<Real> grad_log_reward(const Vector<Real>& x) const { return -(p_ * (x - a_)) + b_; }

  /// q_0 = p_0 r / Z in closed form (see the header comment).
  [[nodiscard]] TiltedMixture<Real> tilt(const MixtureModel<Real>& p) const {
    using std::exp;
    using std::log;
    if (p.dimension() != dimension())
      throw InvalidParameter("reward.center", "dimension differs from the data's");
    const auto d = static_cast<Eigen::Index>(dimension());
    const Matrix<Real> eye = Matrix<Real>::Identity(d, d);
    std::vector<Real> logw;
    std::vector<GaussianComponent<Real>> comps;
    for (const auto& k : p.components()) {
      const Vector<Real> v = b_ - p_ * (k.mean - a_);
      const Matrix<Real> ipsig = eye + p_ * k.covariance;  // I + P Sigma
      Eigen::PartialPivLU<Matrix<Real>> lu(ipsig.transpose());
      // K = Sigma (I + P Sigma)^{-1}  <=>  K^T = (I + P Sigma)^{-T} Sigma^T
      Matrix<Real> kmat = lu.solve(k.covariance.transpose()).transpose();
      kmat = symmetric_part(kmat);
      const Vector<Real> dm = k.mean - a_;
      const Real logz =
          -log(lu.determinant()) / 2 + v.dot(kmat * v) / 2 - dm.dot(p_ * dm) / 2 + b_.dot(k.mean);
      logw.push_back(log(k.weight) + logz);
      comps.push_back({Real(0), k.label, k.mean + kmat * v, kmat});
    }
    const Real log_z = log_sum_exp(logw);
    for (std::size_t i = 0; i < comps.size(); ++i) comps[i].weight = exp(logw[i] - log_z);
    return {MixtureModel<Real>::from_components(std::move(comps), p.num_classes(), p.degenerate()), log_z};
  }

 private:
  [[nodiscard]] Real tolerance_psd() const {
    using std::abs;
    Real scale = 0;
    for (Eigen::Index i = 0; i < p_.rows(); ++i) scale += abs(p_(i, i));
    return Real(4) * Real(static_cast<int>(p_.rows())) * boost::math::tools::epsilon<Real>() * scale;
  }

  Vector<Real> a_;
  Matrix<Real> p_;
  Vector<Real> b_;
};

}  // namespace gdverify
