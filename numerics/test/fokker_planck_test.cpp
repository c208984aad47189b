// The 1-D Fokker-Planck solver: agreement with the exact Gaussian oracle to
// 1e-8 in E[phi], refinement behaviour, mass conservation, and the w = 0
// martingale on a mixture.
#include <gtest/gtest.h>

#include "gdverify/numerics/fokker_planck.hpp"
#include "gdverify/numerics/gaussian_oracle.hpp"
#include "gdverify/numerics/gaussian_problems.hpp"
#include "gdverify/numerics/scenario.hpp"

namespace gdverify::numerics {
namespace {

TEST(FokkerPlanck, MatchesTheExactGaussianLawTo1e8) {
  for (const char* form : {"reward", "cfg-pair"}) {
    const auto p50 = gaussian_problem(form, 1);
    const auto p = p50.convert<double>();
    const GaussianOracle oracle(p50, ForwardProcess<Real50>::ou(Real50(2)), Real50(2), Real50("0.001"));
    const FokkerPlanck1D fp(p, ForwardProcess<double>::ou(2.0), 2.0, 0.001);
    for (double w : {0.0, 1.0, 5.0}) {
      const auto traj = oracle.continuous(Real50(w), true, 5);
      const auto r = fp.solve(w);
      for (std::size_t i = 0; i < traj.laws.size(); ++i) {
        const double exact = static_cast<double>(oracle.expected_metric(traj.laws[i], traj.times[i]));
        EXPECT_NEAR(r.extrapolated.expected_metric[i], exact, 1e-8 * exact)
            << form << " w=" << w << " tau index " << i << " estimate " << r.error_estimate;
        const double dis = static_cast<double>(traj.dissipation[i]);
        EXPECT_NEAR(r.extrapolated.dissipation[i], dis, 1e-7 * (exact + dis)) << form << " w=" << w;
      }
      EXPECT_LT(r.error_estimate, 1e-8) << form << " w=" << w;
      for (const auto& l : r.levels) EXPECT_LT(l.mass_error, 1e-3);
    }
  }
}

TEST(FokkerPlanck, MartingaleOnTheDefaultMixture) {
  const Scenario sc = default_scenario();
  const auto p = GuidanceProblem<double>::cfg(sc.mixture<double>(), sc.guided_class);
  const FokkerPlanck1D fp(p, sc.process<double>("ou"), sc.ou_horizon, sc.early_stop);
  const auto r = fp.solve(0.0);
  for (double e : r.extrapolated.expected_metric) EXPECT_NEAR(e, 2.5, 1e-8);
}

}  // namespace
}  // namespace gdverify::numerics
