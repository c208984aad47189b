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
//
// Every function works on a batch of L paths at once ("lanes"): a per-path
// scalar is double[L], a per-path vector double[kMaxDim][L], and the innermost
// loops run over lanes with no branch that depends on a lane, so they
// vectorise. Each lane performs exactly the operations a lone path would, so
// results do not depend on L or on a path's position in the batch.
//
// The log-sum-exp runs over chunks of kChunk components: the chunk's l_k are
// stored, the running maximum moves once per chunk (one rescale), and each
// component costs one exp. Components fall into two groups, the guided class
// and the rest (CFG), so that the class part keeps its own maximum and cannot
// underflow against the others; the total combines the two at the end.
#pragma once

#include <Kokkos_Core.hpp>

#include "device/device_math.hpp"

namespace gdverify::numerics::device {

inline constexpr int kMaxDim = 64;
inline constexpr int kChunk = 16;
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

KOKKOS_INLINE_FUNCTION double lane_max(double a, double b) { return b > a ? b : a; }

/// q_k = (y - alpha mu_k)^T (U_k diag(v_k) U_k^T)^{-1} (y - alpha mu_k) for each lane.
template <int L>
KOKKOS_INLINE_FUNCTION void component_quadratic(const DeviceMixture& mx, int k, double alpha, double s2,
                                                const double (*y)[L], double* q) {
  const int d = mx.dim;
  for (int l = 0; l < L; ++l) q[l] = 0;
  if (mx.isotropic(k)) {
    const double inv = 1.0 / (alpha * alpha * mx.eigenvalues(k, 0) + s2);
    for (int i = 0; i < d; ++i) {
      const double am = alpha * mx.mean(k, i);
      for (int l = 0; l < L; ++l) {
        const double z = y[i][l] - am;
        q[l] += z * z;
      }
    }
    for (int l = 0; l < L; ++l) q[l] *= inv;
    return;
  }
  for (int j = 0; j < d; ++j) {
    const double v = alpha * alpha * mx.eigenvalues(k, j) + s2;
    double z[L];
    for (int l = 0; l < L; ++l) z[l] = 0;
    for (int i = 0; i < d; ++i) {
      const double u = mx.rotation(k, i, j), am = alpha * mx.mean(k, i);
      for (int l = 0; l < L; ++l) z[l] += u * (y[i][l] - am);
    }
    for (int l = 0; l < L; ++l) q[l] += z[l] * (z[l] / v);
  }
}

/// acc += e s_k, s_k = -U_k (U_k^T (y - alpha mu_k) / v_k), for each lane.
template <int L>
KOKKOS_INLINE_FUNCTION void accumulate_score(const DeviceMixture& mx, int k, double alpha, double s2,
                                             const double (*y)[L], const double* e, double (*acc)[L]) {
  const int d = mx.dim;
  if (mx.isotropic(k)) {
    const double inv = 1.0 / (alpha * alpha * mx.eigenvalues(k, 0) + s2);
    for (int i = 0; i < d; ++i) {
      const double am = alpha * mx.mean(k, i);
      for (int l = 0; l < L; ++l) acc[i][l] += e[l] * (-(y[i][l] - am) * inv);
    }
    return;
  }
  double u[kMaxDim][L];
  for (int j = 0; j < d; ++j) {
    const double v = alpha * alpha * mx.eigenvalues(k, j) + s2;
    for (int l = 0; l < L; ++l) u[j][l] = 0;
    for (int i = 0; i < d; ++i) {
      const double r = mx.rotation(k, i, j), am = alpha * mx.mean(k, i);
      for (int l = 0; l < L; ++l) u[j][l] += r * (y[i][l] - am);
    }
    for (int l = 0; l < L; ++l) u[j][l] /= v;
  }
  for (int i = 0; i < d; ++i) {
    double s[L];
    for (int l = 0; l < L; ++l) s[l] = 0;
    for (int j = 0; j < d; ++j) {
      const double r = mx.rotation(k, i, j);
      for (int l = 0; l < L; ++l) s[l] += r * u[j][l];
    }
    for (int l = 0; l < L; ++l) acc[i][l] += e[l] * (-s[l]);
  }
}

/// With `with_score`, the score of p_t into score_all; otherwise log p_t(y) into
/// log_all. When cls >= 0, also the same for the class part
/// sum_{k in cls} w_k N_k(y), into score_cls or log_cls (CFG: the conditional's
/// log density is this minus log pi_c). Pointers not written may be null.
template <int L>
KOKKOS_INLINE_FUNCTION void evaluate_mixture(const DeviceMixture& mx, int ti, double alpha, double s2,
                                             const double (*y)[L], bool with_score, int cls, double* log_all,
                                             double (*score_all)[L], double* log_cls,
                                             double (*score_cls)[L]) {
  const int d = mx.dim;
  double(*acc[2])[L] = {score_all, score_cls};  // group 0: not class cls; group 1: class cls
  double gmax[2][L], gsum[2][L];
  bool seen[2] = {false, false};
  for (int g = 0; g < 2; ++g)
    for (int l = 0; l < L; ++l) {
      gmax[g][l] = kMinusHuge;
      gsum[g][l] = 0;
    }
  if (with_score)
    for (int g = 0; g < (cls >= 0 ? 2 : 1); ++g)
      for (int i = 0; i < d; ++i)
        for (int l = 0; l < L; ++l) acc[g][i][l] = 0;
  for (int c0 = 0; c0 < mx.components; c0 += kChunk) {
    const int c1 = c0 + kChunk < mx.components ? c0 + kChunk : mx.components;
    double lk[kChunk][L], cmax[2][L];
    bool in_chunk[2] = {false, false};
    for (int g = 0; g < 2; ++g)
      for (int l = 0; l < L; ++l) cmax[g][l] = kMinusHuge;
    for (int k = c0; k < c1; ++k) {
      const int g = (cls >= 0 && mx.label(k) == cls) ? 1 : 0;
      in_chunk[g] = true;
      double q[L];
      component_quadratic<L>(mx, k, alpha, s2, y, q);
      const double ln = mx.log_norm(ti, k);
      for (int l = 0; l < L; ++l) {
        lk[k - c0][l] = ln - 0.5 * q[l];
        cmax[g][l] = lane_max(cmax[g][l], lk[k - c0][l]);
      }
    }
    for (int g = 0; g < 2; ++g) {
      if (!in_chunk[g]) continue;
      if (!seen[g]) {  // first chunk of the group: nothing to rescale
        for (int l = 0; l < L; ++l) gmax[g][l] = cmax[g][l];
        seen[g] = true;
        continue;
      }
      double scale[L];
      for (int l = 0; l < L; ++l) {
        const double m = lane_max(gmax[g][l], cmax[g][l]);
        scale[l] = dexp(gmax[g][l] - m);
        gsum[g][l] *= scale[l];
        gmax[g][l] = m;
      }
      if (with_score)
        for (int i = 0; i < d; ++i)
          for (int l = 0; l < L; ++l) acc[g][i][l] *= scale[l];
    }
    for (int k = c0; k < c1; ++k) {
      const int g = (cls >= 0 && mx.label(k) == cls) ? 1 : 0;
      double e[L];
      for (int l = 0; l < L; ++l) {
        e[l] = dexp(lk[k - c0][l] - gmax[g][l]);
        gsum[g][l] += e[l];
      }
      if (with_score) accumulate_score<L>(mx, k, alpha, s2, y, e, acc[g]);
    }
  }
  const bool with_log = !with_score;  // the kernels need either the scores or the log densities
  if (cls < 0) {
    if (with_log)
      for (int l = 0; l < L; ++l) log_all[l] = gmax[0][l] + dlog(gsum[0][l]);
    if (with_score)
      for (int i = 0; i < d; ++i)
        for (int l = 0; l < L; ++l) score_all[i][l] /= gsum[0][l];
    return;
  }
  // Total = group 0 + group 1 on the common maximum: the group holding it has
  // factor 1, the other e^-|M0 - M1| (|.| by clearing the sign bit, so that no
  // branch enters the exp's argument and the loop stays vectorisable).
  double f0[L], f1[L], total[L];
  for (int l = 0; l < L; ++l) {
    const double gap = gmax[0][l] - gmax[1][l];
    const double e = dexp(-from_bits(bits_of(gap) & 0x7FFFFFFFFFFFFFFFULL));
    const bool first_holds_max = gap >= 0;
    f0[l] = first_holds_max ? 1.0 : e;
    f1[l] = first_holds_max ? e : 1.0;
    total[l] = gsum[0][l] * f0[l] + gsum[1][l] * f1[l];
  }
  if (with_log)
    for (int l = 0; l < L; ++l) {
      log_all[l] = lane_max(gmax[0][l], gmax[1][l]) + dlog(total[l]);
      log_cls[l] = gmax[1][l] + dlog(gsum[1][l]);
    }
  if (with_score)
    for (int i = 0; i < d; ++i)
      for (int l = 0; l < L; ++l) {
        score_all[i][l] = (score_all[i][l] * f0[l] + score_cls[i][l] * f1[l]) / total[l];
        score_cls[i][l] /= gsum[1][l];
      }
}

}  // namespace gdverify::numerics::device
