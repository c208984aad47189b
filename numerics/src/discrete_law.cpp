#include "gdverify/numerics/discrete_law.hpp"

#include <algorithm>
#include <cmath>

#include "gauss_legendre_nodes.hpp"
#include "gdverify/theory/errors.hpp"
#include "gdverify/theory/mixture_marginal.hpp"
#include "line_mixture.hpp"

namespace gdverify::numerics {
using detail::LineMixture;

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
  if (steps < 1) throw InvalidParameter("steps", "must be >= 1");
  if (sampler == SamplerKind::ddim) return deterministic_expected_metric(w, steps);
  if (sampler != SamplerKind::euler_maruyama && sampler != SamplerKind::ddpm)
    throw InvalidParameter("sampler", "exact 1-D laws exist here for Euler-Maruyama, DDPM and DDIM");
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
  const LineMixture base(problem_.base()), target(problem_.target());
  double lp = 0, sp = 0, dsp = 0, lq = 0, sq = 0, dsq = 0;
  {
    const auto qt = target.at(process_.alpha(t_start_), process_.sigma2(t_start_));
    for (std::size_t i = 0; i < m; ++i) {
      LineMixture::evaluate(qt, y[i], lq, sq, dsq);
      rho[i] = std::exp(lq);
    }
  }
  for (const Step& s : st) {
    const auto pb = base.at(process_.alpha(s.t), process_.sigma2(s.t));
    const auto pt = target.at(process_.alpha(s.t), process_.sigma2(s.t));
    std::fill(next.begin(), next.end(), 0.0);
    const double norm = h / (std::sqrt(2 * M_PI) * s.c);
    const double reach = 12 * s.c;
    for (std::size_t i = 0; i < m; ++i) {
      if (rho[i] == 0) continue;
      LineMixture::evaluate(pb, y[i], lp, sp, dsp);
      LineMixture::evaluate(pt, y[i], lq, sq, dsq);
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
  const auto pb = base.at(process_.alpha(t_end_), process_.sigma2(t_end_));
  const auto pt = target.at(process_.alpha(t_end_), process_.sigma2(t_end_));
  const double log_kappa = problem_.log_metric_scale();
  double e = 0;
  for (std::size_t i = 0; i < m; ++i) {
    if (rho[i] == 0) continue;
    LineMixture::evaluate(pb, y[i], lp, sp, dsp);
    LineMixture::evaluate(pt, y[i], lq, sq, dsq);
    e += std::exp(log_kappa + lp - lq + std::log(rho[i]));
  }
  return e * h;
}

double DiscreteLaw1D::deterministic_expected_metric(double w, int steps) const {
  // Endpoint quadrature over the end bumps, where phi rho_end lives (as for the
  // continuous characteristics): from Y = y_0 the steps are inverted one by
  // one, y_k = F_k^{-1}(y_{k-1}) with F_k(x) = r_k x + c_k s^w_{t_k}(x), by Newton
  // from x = y / r_k, and rho_end(Y) = q_{t_start}(y_N) prod_k 1 / F_k'(y_k).
  std::vector<double> ys, wts;
  {
    std::vector<GaussianComponent<double>> comps = problem_.base().at_time(process_, t_end_).components();
    const auto qc = problem_.target().at_time(process_, t_end_).components();
    comps.insert(comps.end(), qc.begin(), qc.end());
    detail::gauss_legendre_nodes(comps, ys, wts);
  }
  const LineMixture base(problem_.base()), target(problem_.target());
  struct Step {
    LineMixture::At p, q;
    double r, c;
  };
  std::vector<Step> st;
  for (int k = 1; k <= steps; ++k) {
    const double tk = t_end_ + (t_start_ - t_end_) * k / steps,
                 tk1 = t_end_ + (t_start_ - t_end_) * (k - 1) / steps;
    const double r = process_.alpha(tk1) / process_.alpha(tk);
    const double sk = std::sqrt(process_.sigma2(tk)), sk1 = std::sqrt(process_.sigma2(tk1));
    st.push_back({base.at(process_.alpha(tk), process_.sigma2(tk)),
                  target.at(process_.alpha(tk), process_.sigma2(tk)), r, r * sk * sk - sk1 * sk});
  }
  const auto qs = target.at(process_.alpha(t_start_), process_.sigma2(t_start_));
  const auto pe = base.at(process_.alpha(t_end_), process_.sigma2(t_end_));
  const auto qe = target.at(process_.alpha(t_end_), process_.sigma2(t_end_));
  const double log_kappa = problem_.log_metric_scale();
  double lp = 0, sp = 0, dsp = 0, lq = 0, sq = 0, dsq = 0, total = 0;
  for (std::size_t i = 0; i < ys.size(); ++i) {
    double y = ys[i], log_jac = 0;
    for (const Step& s : st) {
      double x = y / s.r, fprime = s.r;
      for (int it = 0; it < 60; ++it) {
        LineMixture::evaluate(s.p, x, lp, sp, dsp);
        LineMixture::evaluate(s.q, x, lq, sq, dsq);
        const double fx = s.r * x + s.c * ((1 + w) * sq - w * sp) - y;
        fprime = s.r + s.c * ((1 + w) * dsq - w * dsp);
        if (!(fprime > 0))
          throw InvalidParameter("steps", "the DDIM step is not monotone here (too few steps for this w)");
        const double dx = fx / fprime;
        x -= dx;
        if (std::abs(dx) <= 1e-15 * (1 + std::abs(x))) break;
      }
      LineMixture::evaluate(s.p, x, lp, sp, dsp);
      LineMixture::evaluate(s.q, x, lq, sq, dsq);
      fprime = s.r + s.c * ((1 + w) * dsq - w * dsp);
      log_jac -= std::log(fprime);
      y = x;
    }
    LineMixture::evaluate(qs, y, lq, sq, dsq);
    const double log_rho = lq + log_jac;
    LineMixture::evaluate(pe, ys[i], lp, sp, dsp);
    double lqe = 0;
    LineMixture::evaluate(qe, ys[i], lqe, sq, dsq);
    total += wts[i] * std::exp(log_kappa + lp - lqe + log_rho);
  }
  return total;
}

}  // namespace gdverify::numerics
