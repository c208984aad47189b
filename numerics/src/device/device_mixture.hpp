// A Gaussian mixture laid out for the Monte Carlo kernels, and its log density
// and score at a grid time (THEORY.md section 1):
//   p_t(y) = sum_k w_k N(y; alpha_t mu_k, alpha_t^2 Sigma_k + sigma_t^2 I).
// Each Sigma_k is stored by its eigen-decomposition U_k diag(lambda_k) U_k^T, so
// the marginal covariance at any t is U_k diag(v_k) U_k^T, v_k = alpha_t^2 lambda_k
// + sigma_t^2, and with z = U_k^T (y - alpha_t mu_k):
//   l_k = log w_k - 1/2 sum_i log(2 pi v_ki) - 1/2 sum_i z_i^2 / v_ki,
//   s_k = -U_k (z / v_k),   log p_t = LSE_k l_k,   s = sum_k softmax(l)_k s_k.
// Isotropic components (Sigma_k = lambda I, e.g. every point of an empirical
// data set) skip the rotation: O(d) instead of O(d^2) per component. The
// log-normalisers depend on t only and are tabulated per grid time on the host.
// The sums run as a streaming log-sum-exp (one exp per component, a rescale when
// the running maximum moves), so nothing is stored per component.
#pragma once

#include <Kokkos_Core.hpp>

#include "device/device_math.hpp"

namespace gdverify::numerics::device {

inline constexpr int kMaxDim = 64;
inline constexpr double kMinusHuge = -1.0e300;

struct DeviceMixture {
  int components = 0;
  int dim = 0;
  Kokkos::View<double**> mean;         ///< K x d
  Kokkos::View<double**> eigenvalues;  ///< K x d, lambda_k
  Kokkos::View<double***> rotation;    ///< K x d x d, U_k (unused when isotropic)
  Kokkos::View<int*> isotropic;        ///< 1 when Sigma_k = lambda I
  Kokkos::View<int*> label;            ///< class of each component
  Kokkos::View<double*> cumulative;    ///< normalised cumulative weights (start sampling)
  Kokkos::View<double**> log_norm;     ///< grid time x K: log w_k - 1/2 sum_i log(2 pi v_ki)
};

/// Streaming log-sum-exp with a weighted vector sum: after all terms,
/// log sum exp(l_k) = max + log(sum) and sum_k softmax_k s_k = acc / sum.
struct StreamingLse {
  double max = kMinusHuge;
  double sum = 0;

  KOKKOS_INLINE_FUNCTION void add(double l, const double* s, double* acc, int d, bool with_vector) {
    if (l > max) {
      const double scale = dexp(max - l);
      sum = sum * scale + 1.0;
      if (with_vector)
        for (int i = 0; i < d; ++i) acc[i] = acc[i] * scale + s[i];
      max = l;
    } else {
      const double e = dexp(l - max);
      sum += e;
      if (with_vector)
        for (int i = 0; i < d; ++i) acc[i] += e * s[i];
    }
  }
  [[nodiscard]] KOKKOS_INLINE_FUNCTION double log_value() const { return max + dlog(sum); }
};

/// l_k and (optionally) s_k of component k at grid time ti.
KOKKOS_INLINE_FUNCTION double component_term(const DeviceMixture& mx, int k, int ti, double alpha, double s2,
                                             const double* y, double* sk, bool with_score) {
  const int d = mx.dim;
  double q = 0;
  if (mx.isotropic(k)) {
    const double v = alpha * alpha * mx.eigenvalues(k, 0) + s2;
    const double inv = 1.0 / v;
    for (int i = 0; i < d; ++i) {
      const double z = y[i] - alpha * mx.mean(k, i);
      q += z * z;
      if (with_score) sk[i] = -z * inv;
    }
    q *= inv;
  } else {
    double diff[kMaxDim];
    double u[kMaxDim];
    for (int i = 0; i < d; ++i) diff[i] = y[i] - alpha * mx.mean(k, i);
    for (int j = 0; j < d; ++j) {
      double z = 0;
      for (int i = 0; i < d; ++i) z += mx.rotation(k, i, j) * diff[i];
      const double v = alpha * alpha * mx.eigenvalues(k, j) + s2;
      u[j] = z / v;
      q += z * u[j];
    }
    if (with_score)
      for (int i = 0; i < d; ++i) {
        double s = 0;
        for (int j = 0; j < d; ++j) s += mx.rotation(k, i, j) * u[j];
        sk[i] = -s;
      }
  }
  return mx.log_norm(ti, k) - 0.5 * q;
}

/// log p_t(y) (when `with_log`) and its score (when `with_score`); when
/// `cls >= 0`, also those of the class-`cls` part sum_{k in cls} w_k N_k(y),
/// from the same terms (CFG: the conditional's log density is this minus log pi_c).
KOKKOS_INLINE_FUNCTION void evaluate_mixture(const DeviceMixture& mx, int ti, double alpha, double s2,
                                             const double* y, bool with_score, bool with_log, double& log_p,
                                             double* score, int cls, double& log_cls, double* score_cls) {
  const int d = mx.dim;
  double sk[kMaxDim];
  StreamingLse all, part;
  if (with_score)
    for (int i = 0; i < d; ++i) {
      score[i] = 0;
      if (cls >= 0) score_cls[i] = 0;
    }
  for (int k = 0; k < mx.components; ++k) {
    const double l = component_term(mx, k, ti, alpha, s2, y, sk, with_score);
    all.add(l, sk, score, d, with_score);
    if (cls >= 0 && mx.label(k) == cls) part.add(l, sk, score_cls, d, with_score);
  }
  if (with_log) log_p = all.log_value();
  if (with_score)
    for (int i = 0; i < d; ++i) score[i] /= all.sum;
  if (cls >= 0) {
    if (with_log) log_cls = part.log_value();
    if (with_score)
      for (int i = 0; i < d; ++i) score_cls[i] /= part.sum;
  }
}

}  // namespace gdverify::numerics::device
