// A 1-D Gaussian mixture at one time t, for the grid solvers (Fokker-Planck,
// Chapman-Kolmogorov): log density, score and its derivative in log space,
//   s = sum_k r_k s_k,  s' = sum_k r_k (-1/C_k) + sum_k r_k (s_k - s)^2,
// with C_k = alpha_t^2 Sigma_k + sigma_t^2, s_k = -(y - alpha_t mu_k) / C_k and
// r_k the responsibilities (THEORY.md sections 1 and 5). Private to numerics/src.
#pragma once

#include <algorithm>
#include <cmath>
#include <vector>

#include "gdverify/theory/errors.hpp"
#include "gdverify/theory/mixture_model.hpp"

namespace gdverify::numerics::detail {

class LineMixture {
 public:
  static constexpr std::size_t kMaxComponents = 64;

  explicit LineMixture(const MixtureModel<double>& m) {
    if (m.dimension() != 1 || m.components().size() > kMaxComponents)
      throw InvalidParameter("components", "the 1-D grid solvers take at most 64 components in d = 1");
    for (const auto& k : m.components()) {
      log_w_.push_back(std::log(k.weight));
      mu_.push_back(k.mean(0));
      sigma2_.push_back(k.covariance(0, 0));
    }
  }

  /// The mixture's coefficients at a time (alpha_t, sigma_t^2).
  struct At {
    std::vector<double> log_norm, mean, inv_var;
  };
  [[nodiscard]] At at(double alpha, double sigma2) const {
    At r;
    for (std::size_t k = 0; k < mu_.size(); ++k) {
      const double v = alpha * alpha * sigma2_[k] + sigma2;
      r.log_norm.push_back(log_w_[k] - 0.5 * std::log(2 * M_PI * v));
      r.mean.push_back(alpha * mu_[k]);
      r.inv_var.push_back(1 / v);
    }
    return r;
  }

  /// log p, s = (log p)' and s' = (log p)'' at y.
  static void evaluate(const At& m, double y, double& log_p, double& s, double& ds) {
    double mx = -1e300;
    const std::size_t n = m.mean.size();
    double l[kMaxComponents], sk[kMaxComponents];
    for (std::size_t k = 0; k < n; ++k) {
      const double z = y - m.mean[k];
      l[k] = m.log_norm[k] - 0.5 * z * z * m.inv_var[k];
      sk[k] = -z * m.inv_var[k];
      mx = std::max(mx, l[k]);
    }
    double sum = 0, acc = 0;
    for (std::size_t k = 0; k < n; ++k) {
      l[k] = std::exp(l[k] - mx);
      sum += l[k];
      acc += l[k] * sk[k];
    }
    s = acc / sum;
    double h = 0;
    for (std::size_t k = 0; k < n; ++k) h += l[k] * (-m.inv_var[k] + (sk[k] - s) * (sk[k] - s));
    ds = h / sum;
    log_p = mx + std::log(sum);
  }

 private:
  std::vector<double> log_w_, mu_, sigma2_;
};

}  // namespace gdverify::numerics::detail
