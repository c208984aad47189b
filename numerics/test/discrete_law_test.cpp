// Chapman-Kolmogorov laws of EM and the DDPM-type sampler on 1-D problems:
// equal to the exact Gaussian oracle's discrete law, and converged under grid refinement on a mixture.
#include <gtest/gtest.h>

#include "gdverify/numerics/discrete_law.hpp"
#include "gdverify/numerics/gaussian_problems.hpp"
#include "gdverify/numerics/scenario.hpp"

namespace gdverify::numerics {
namespace {

TEST(DiscreteLaw, MatchesTheExactGaussianRecursions) {
  for (const char* form : {"reward", "cfg-pair"}) {
    const auto p50 = gaussian_problem(form, 1);
    const auto p = p50.convert<double>();
    const GaussianOracle oracle(p50, ForwardProcess<Real50>::ou(Real50(2)), Real50(2), Real50("0.001"));
    const DiscreteLaw1D ck(p, ForwardProcess<double>::ou(2.0), 2.0, 0.001);
    for (SamplerKind k : {SamplerKind::euler_maruyama, SamplerKind::ddpm, SamplerKind::ddim})
      for (double w : {0.0, 1.0}) {
        const double exact =
            static_cast<double>(oracle.expected_metric(oracle.discrete(k, Real50(w), 64), Real50("0.001")));
        EXPECT_NEAR(ck.expected_metric(k, w, 64), exact, 1e-9 * exact)
            << form << " " << sampler_name(k) << " " << w;
      }
  }
}

TEST(DiscreteLaw, GridAndDomainConvergedOnTheDefaultMixtureReward) {
  const Scenario sc = default_scenario();
  const auto p = GuidanceProblem<double>::reward(sc.mixture<double>(), sc.gaussian_reward<double>());
  const auto proc = sc.process<double>("ou");
  const DiscreteLaw1D coarse(p, proc, 2.0, 1e-3, 8), fine(p, proc, 2.0, 1e-3, 16),
      wide(p, proc, 2.0, 1e-3, 8, 16);
  const double a = coarse.expected_metric(SamplerKind::euler_maruyama, 1.0, 32);
  EXPECT_NEAR(a, fine.expected_metric(SamplerKind::euler_maruyama, 1.0, 32), 1e-10 * a);
  EXPECT_NEAR(a, wide.expected_metric(SamplerKind::euler_maruyama, 1.0, 32), 1e-10 * a);
  EXPECT_THROW((void)coarse.expected_metric(SamplerKind::heun, 1.0, 32), InvalidParameter);
}

}  // namespace
}  // namespace gdverify::numerics
