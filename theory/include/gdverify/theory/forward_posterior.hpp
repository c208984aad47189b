// The forward posterior law(X_s | X_t = y), s < t, of a Gaussian mixture under
// the forward process: the exact reverse transition kernel of the unguided
// reverse process started at the exact law (THEORY.md L1(b)).
// With a = alpha_t / alpha_s and v = sigma_t^2 - a^2 sigma_s^2 (the transition
// X_t = a X_s + sqrt(v) Z), and X_s | k ~ N(m_k, C_k), m_k = alpha_s mu_k,
// C_k = alpha_s^2 Sigma_k + sigma_s^2 I:
//   weight_k  ∝ w_k N(y; a m_k, a^2 C_k + v I)
//   mean_k    = m_k + a C_k S_k^{-1} (y - a m_k),   S_k = a^2 C_k + v I
//   cov_k     = C_k - a^2 C_k S_k^{-1} C_k = v S_k^{-1} C_k
// For s = 0 this is the posterior of X_0 given X_t = y.
#pragma once

#include <cmath>
#include <vector>

#include "gdverify/theory/forward_process.hpp"
#include "gdverify/theory/linear_algebra.hpp"
#include "gdverify/theory/log_sum_exp.hpp"
#include "gdverify/theory/mixture_model.hpp"

namespace gdverify {

template <class Real>
MixtureModel<Real> forward_posterior(const MixtureModel<Real>& model, const ForwardProcess<Real>& process,
                                     const Real& s, const Real& t, const Vector<Real>& y) {
  using std::exp;
  using std::log;
  if (!(s < t)) throw InvalidParameter("s", "the posterior needs s < t");
  if (y.size() != model.dimension()) throw InvalidParameter("y", "dimension differs from the mixture's");
  const Real as = process.alpha(s);
  const Real a = process.alpha(t) / as;
  const Real v = process.sigma2(t) - a * a * process.sigma2(s);
  if (!(v > 0)) throw InvalidParameter("t", "no noise between s and t");
  const auto d = static_cast<Eigen::Index>(model.dimension());
  const Matrix<Real> eye = Matrix<Real>::Identity(d, d);
  const Real s2s = process.sigma2(s);
  std::vector<Real> logw;
  std::vector<GaussianComponent<Real>> comps;
  for (const auto& k : model.components()) {
    const Vector<Real> m = as * k.mean;
    const Matrix<Real> c = (as * as) * k.covariance + s2s * eye;
    const Matrix<Real> sm = (a * a) * c + v * eye;
    Eigen::LLT<Matrix<Real>> llt(sm);
    const Vector<Real> resid = y - a * m;
    const Vector<Real> sol = llt.solve(resid);
    Real logdet = 0;
    for (Eigen::Index i = 0; i < d; ++i) logdet += 2 * log(llt.matrixLLT()(i, i));
    logw.push_back(log(k.weight) - logdet / 2 - resid.dot(sol) / 2);
    const Matrix<Real> sinv_c = llt.solve(c);  // S^{-1} C = C S^{-1}: S = a^2 C + v I commutes with C
    const Matrix<Real> gain = a * sinv_c;
    // C - a^2 C S^{-1} C = C S^{-1} (S - a^2 C) = v S^{-1} C: no cancellation.
    Matrix<Real> cov = v * sinv_c;
    cov = symmetric_part(cov);
    comps.push_back({Real(0), k.label, m + gain * resid, cov});
  }
  const Real lse = log_sum_exp(logw);
  for (std::size_t i = 0; i < comps.size(); ++i) comps[i].weight = exp(logw[i] - lse);
  return MixtureModel<Real>::from_components(std::move(comps), model.num_classes(),
                                             model.degenerate() && !(s2s > 0));
}

}  // namespace gdverify
