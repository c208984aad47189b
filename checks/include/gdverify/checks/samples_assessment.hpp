// Judging samples made by someone else's sampler (docs/models.md): end points
// at t = delta for each guidance scale w, from a directory of .npy arrays
// (numerics/samples_file.hpp). The reference is the exact discrete law of the
// sampler the user says they ran (sampler and N), estimated by running the
// exact score through gdverify's own sampler (numerics/model_sampler.hpp). Per w:
//   samples.log-phi.<form>.w=<w>   E[log phi_delta(Y)] of the samples equals the
//       reference's (two-sample z-test at kStatisticalAlpha); E[phi] is reported
//   samples.energy.<form>.w=<w>    the samples' law equals the reference's:
//       energy distance (Szekely-Rizzo) with a permutation p-value, fail below
//       the level (default 1e-3, 999 permutations on seeded subsamples)
//   samples.improved-fraction.<form>.w=<w>   (coupled rows, w > 0, w = 0 given)
//       the fraction of rows with p(c|Y^w) >= p(c|Y^0) equals the reference's
//       coupled fraction (two-proportion z-test); both with Clopper-Pearson intervals.
#pragma once

#include <string>
#include <vector>

#include "gdverify/checks/check.hpp"
#include "gdverify/numerics/samples_file.hpp"
#include "gdverify/numerics/scenario.hpp"
#include "gdverify/numerics/vocabulary.hpp"

namespace gdverify::checks {

/// The largest energy-test sample per side: the permutation test costs
/// about 2 n^2 d (permutations + 1) operations, 2e10 at n = 2000, d = 2.
constexpr long kMaxEnergyPoints = 2000;

struct SamplesAssessmentOptions {
  numerics::SamplerKind sampler = numerics::SamplerKind::euler_maruyama;  ///< what produced the samples
  int steps = 0;                ///< its N (0: the scenario's largest samplers.steps)
  bool coupled = false;         ///< row i of every file shares start and noise
  long reference_paths = 0;     ///< 0: the scenario's monte_carlo.paths, at most 2^16
  long energy_subsample = 500;  ///< points of each side in the energy test
  int permutations = 999;
  double law_level = 1e-3;  ///< the energy test's level (its false-alarm rate per w)
};

std::vector<Check> samples_checks(const numerics::Scenario& scenario, const std::string& form,
                                  std::vector<numerics::SampleArray> arrays,
                                  const SamplesAssessmentOptions& options);

/// The energy distance E|X - Y| - (E|X - X'| + E|Y - Y'|) / 2 of two point sets
/// (n x d and m x d, row-major) and its permutation p-value ((1 + #{T_perm >= T}) / (1 + B)).
struct EnergyTest {
  double distance = 0;
  double p_value = 1;
  double null_sd = 0;  ///< the standard deviation of the statistic over the permutations
};
EnergyTest energy_test(const std::vector<double>& a, const std::vector<double>& b, int d, int permutations,
                       std::uint64_t seed);

}  // namespace gdverify::checks
