#include "gdverify/numerics/discrete_law.hpp"

#include <algorithm>
#include <cmath>

#include "gdverify/theory/errors.hpp"
#include "gdverify/theory/mixture_marginal.hpp"

namespace gdverify::numerics {
namespace {

/// log density and score of a 1-D mixture at time t, in log space.
struct Line {
  std::vector<double> log_w, mu, var;
  explicit Line(const MixtureModel<double>& m) {
    for (const auto& k : m.components()) {
      log_w.push_back(std::log(k.weight));
      mu.push_back(k.mean(0));
      var.push_back(k.covariance(0, 0));
    }
  }
  void eval(double a, double s2, double y, double& log_p, double& score) const {
    double mx = -1e300;
    std::vector<double> l(mu.size()), s(mu.size());
    for (std::size_t k = 0; k < mu.size(); ++k) {
      const double v = a * a * var[k] + s2, z = y - a * mu[k];
      l[k] = log_w[k] - 0.5 * std::log(2 * M_PI * v) - 0.5 * z * z / v;
      s[k] = -z / v;
      mx = std::max(mx, l[k]);
    }
    double sum = 0, acc = 0;
    for (std::size_t k = 0; k < mu.size(); ++k) {
      const double e = std::exp(l[k] - mx);
      sum += e;
      acc += e * s[k];
    }
    log_p = mx + std::log(sum);
    score = acc / sum;
  }
};

}  // namespace

DiscreteLaw1D::DiscreteLaw1D(const GuidanceProblem<double>& problem, const ForwardProcess<double>& process,
                             double t_start, double t_end, double points_per_width, double domain_sd)
    : problem_(problem),
      process_(process),
      t_start_(t_start),
      t_end_(t_end),
      points_per_width_(points_per_width) {
  if (problem.dimension() != 1) throw InvalidParameter("dimension", "the Chapman-Kolmogorov law is 1-D");
  if (!(t_end < t_start)) throw InvalidParameter("t_end", "must be < t_start");
  double sd_max = 1.0, mlo = 0, mhi = 0;
  narrowest_ = 1e300;
  for (const auto* m : {&problem.base(), &problem.target()})
    for (const auto& k : m->components()) {
      const double sd = std::sqrt(k.covariance(0, 0));
      sd_max = std::max(sd_max, sd);
      narrowest_ = std::min(narrowest_, std::sqrt(process.alpha(t_end) * process.alpha(t_end) * sd * sd +
                                                  process.sigma2(t_end)));
      mlo = std::min(mlo, k.mean(0));
      mhi = std::max(mhi, k.mean(0));
    }
  lo_ = mlo - domain_sd * sd_max;
  hi_ = mhi + domain_sd * sd_max;
}

double DiscreteLaw1D::expected_metric(SamplerKind sampler, double w, int steps) const {
  if (sampler != SamplerKind::euler_maruyama && sampler != SamplerKind::ddpm)
    throw InvalidParameter("sampler", "Chapman-Kolmogorov steps are for the stochastic samplers (EM, DDPM)");
  if (steps < 1) throw InvalidParameter("steps", "must be >= 1");
  const auto grid = [&] {
    std::vector<double> g;
    for (int k = 0; k <= steps; ++k) g.push_back(t_end_ + (t_start_ - t_end_) * k / steps);
    return g;
  }();
  // Step coefficients Y <- A Y + B s^w + C xi (as in the engine and the Gaussian oracle).
  struct Step {
    double a, b, c, t;
  };
  std::vector<Step> st;
  double c_min = 1e300;
  for (int k = steps; k >= 1; --k) {
    const double tk = grid[static_cast<std::size_t>(k)], tk1 = grid[static_cast<std::size_t>(k - 1)];
    Step s{};
    s.t = tk;
    if (sampler == SamplerKind::euler_maruyama) {
      const double h = tk - tk1;
      s.a = 1 - h * process_.f(tk);
      s.b = h * process_.g2(tk);
      s.c = std::sqrt(h * process_.g2(tk));
    } else {
      const double ak = std::pow(process_.alpha(tk) / process_.alpha(tk1), 2);
      s.a = 1 / std::sqrt(ak);
      s.b = (1 - ak) / std::sqrt(ak);
      s.c = std::sqrt(1 - ak);
    }
    c_min = std::min(c_min, s.c);
    st.push_back(s);
  }
  const double h = std::min(c_min, narrowest_) / points_per_width_;
  const auto m = static_cast<std::size_t>(std::ceil((hi_ - lo_) / h)) + 1;
  std::vector<double> y(m), rho(m), next(m);
  for (std::size_t i = 0; i < m; ++i) y[i] = lo_ + h * static_cast<double>(i);
  const Line base(problem_.base()), target(problem_.target());
  {
    const double a = process_.alpha(t_start_), s2 = process_.sigma2(t_start_);
    for (std::size_t i = 0; i < m; ++i) {
      double lq = 0, sq = 0;
      target.eval(a, s2, y[i], lq, sq);
      rho[i] = std::exp(lq);
    }
  }
  for (const Step& s : st) {
    const double a = process_.alpha(s.t), s2 = process_.sigma2(s.t);
    std::fill(next.begin(), next.end(), 0.0);
    const double norm = h / (std::sqrt(2 * M_PI) * s.c);
    const double reach = 12 * s.c;
    for (std::size_t i = 0; i < m; ++i) {
      if (rho[i] == 0) continue;
      double lp = 0, sp = 0, lq = 0, sq = 0;
      base.eval(a, s2, y[i], lp, sp);
      target.eval(a, s2, y[i], lq, sq);
      const double mean = s.a * y[i] + s.b * ((1 + w) * sq - w * sp);
      const double weight = rho[i] * norm;
      const auto j0 = static_cast<std::ptrdiff_t>(std::ceil((mean - reach - lo_) / h));
      const auto j1 = static_cast<std::ptrdiff_t>(std::floor((mean + reach - lo_) / h));
      for (std::ptrdiff_t j = std::max<std::ptrdiff_t>(j0, 0); j <= std::min<std::ptrdiff_t>(j1, m - 1);
           ++j) {
        const double z = (y[static_cast<std::size_t>(j)] - mean) / s.c;
        next[static_cast<std::size_t>(j)] += weight * std::exp(-0.5 * z * z);
      }
    }
    rho.swap(next);
  }
  const double a = process_.alpha(t_end_), s2 = process_.sigma2(t_end_);
  const double log_kappa = problem_.log_metric_scale();
  double e = 0;
  for (std::size_t i = 0; i < m; ++i) {
    if (rho[i] == 0) continue;
    double lp = 0, sp = 0, lq = 0, sq = 0;
    base.eval(a, s2, y[i], lp, sp);
    target.eval(a, s2, y[i], lq, sq);
    e += std::exp(log_kappa + lp - lq + std::log(rho[i]));
  }
  return e * h;
}

}  // namespace gdverify::numerics
