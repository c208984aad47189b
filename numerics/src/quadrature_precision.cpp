#include "gdverify/numerics/quadrature_precision.hpp"

#include <chrono>
#include <cmath>

#include "gdverify/numerics/quadrature_support.hpp"
#include "gdverify/theory/real_types.hpp"

namespace gdverify::numerics {

PrecisionPoint quadrature_at_precision(const Scenario& sc, const std::string& schedule, int digits,
                                       double kappa_error) {
  using R = RealVariable;
  if (digits < 10 || digits > 200) throw InvalidParameter("precision", "digits must lie in [10, 200]");
  if (sc.dimension != 1 || !sc.data_set.empty())
    throw InvalidParameter("dimension", "the precision study integrates a 1-D Gaussian mixture");
  const auto t0 = std::chrono::steady_clock::now();
  const auto saved = R::default_precision();
  R::default_precision(static_cast<unsigned>(digits));
  PrecisionPoint out;
  out.digits = digits;
  {
    const auto problem = detail::scenario_problem<R>(sc, GuidanceKind::cfg);
    const auto proc = sc.process<R>(schedule);
    const R kappa = exp(problem.log_metric_scale());
    const R eps = boost::math::tools::epsilon<R>();
    out.tolerance = static_cast<double>(pow(eps, R(9) / R(10)));
    R worst = 0, worst_est = 0;
    for (const R& t : detail::time_grid<R>(sc.t_min(), sc.t_max(schedule), 3)) {
      const MixtureMarginal<R> pt(problem.base(), proc, t);
      const MixtureMarginal<R> qt(problem.target(), proc, t);
      auto bumps = detail::bumps_of(problem.base().at_time(proc, t));
      detail::append(bumps, detail::bumps_of(problem.target().at_time(proc, t)));
      const std::function<R(const R&)> f = [&](const R& x) {
        const auto v = detail::point(x);
        const R lq = qt.log_density(v);
        return exp(lq + problem.log_metric_scale() + log1p(R(kappa_error)) + pt.log_density(v) - lq);
      };
      const auto q = integrate_line<R>(f, bumps);
      worst = std::max<R>(worst, abs(q.value - kappa) / kappa);
      worst_est = std::max<R>(worst_est, q.error / kappa);
    }
    out.error = static_cast<double>(worst);
    out.error_estimate = static_cast<double>(worst_est);
  }
  R::default_precision(saved);
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

}  // namespace gdverify::numerics
