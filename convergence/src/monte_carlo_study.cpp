#include "gdverify/convergence/monte_carlo_study.hpp"

#include <chrono>
#include <cmath>
#include <memory>

#include "gdverify/numerics/gaussian_problems.hpp"
#include "gdverify/numerics/monte_carlo_engine.hpp"
#include "gdverify/numerics/monte_carlo_estimators.hpp"
#include "gdverify/numerics/statistical_level.hpp"

namespace gdverify::convergence {

using gdverify::Real50;

MonteCarloStudyResult monte_carlo_error_study(const numerics::Scenario& sc, const std::string& form, int d,
                                              numerics::SamplerKind sampler, int replicates) {
  constexpr int kSteps = 8;
  const double t_start = sc.ou_horizon, t_end = sc.early_stop;
  const auto p50 = numerics::gaussian_problem(form, d);
  const numerics::GaussianOracle oracle(p50, ForwardProcess<Real50>::ou(Real50(t_start)), Real50(t_start),
                                        Real50(t_end));
  const double exact = static_cast<double>(
      oracle.expected_log_metric(oracle.discrete(sampler, Real50(0), kSteps), Real50(t_end)));
  const auto problem = p50.convert<double>();
  MonteCarloStudyResult out;
  out.replicates = replicates;
  auto& study = out.study;
  study.name = "MC.error-order." + numerics::sampler_name(sampler) + "." + form + ".d" + std::to_string(d);
  study.axis_name = "paths n";
  for (long n = 1L << 10; n <= (1L << 16); n *= 2) {
    const auto t0 = std::chrono::steady_clock::now();
    double sq = 0, se = 0;
    for (int r = 0; r < replicates; ++r) {
      numerics::MonteCarloSpec spec;
      spec.sampler = sampler;
      spec.grid = numerics::uniform_grid(t_end, t_start, kSteps);
      spec.seed = sc.seed + 1000 * static_cast<std::uint64_t>(n) + static_cast<std::uint64_t>(r);
      const numerics::MonteCarloEngine e(problem, ForwardProcess<double>::ou(t_start), spec);
      const auto s = e.run(n);
      const auto& m = s.at(0, s.checkpoints.size() - 1).log_phi;
      sq += (m.mean - exact) * (m.mean - exact);
      se += std::sqrt(m.variance() / m.n);
    }
    study.axis.push_back(static_cast<double>(n));
    study.errors["rms error of E[log phi]"].push_back(std::sqrt(sq / replicates));
    study.errors["mean estimated standard error"].push_back(se / replicates);
    study.seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  study.fit();
  double mx = 0, sxx = 0;
  for (double a : study.axis) mx += std::log(a) / static_cast<double>(study.axis.size());
  for (double a : study.axis) sxx += (std::log(a) - mx) * (std::log(a) - mx);
  out.order_tolerance =
      numerics::two_sided_normal_quantile(numerics::kStatisticalAlpha) / std::sqrt(2.0 * replicates * sxx);
  return out;
}
}  // namespace gdverify::convergence
