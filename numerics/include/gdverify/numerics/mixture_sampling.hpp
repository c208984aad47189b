// Independent draws from a Gaussian mixture (the data law p_0 of a scenario):
// the training pairs of a score network (examples/train_score_model.py) and
// the reference sets of tests. Seeded; component k with probability w_k, then
// mean_k + R_k sqrt(Lambda_k) z with Sigma_k = R_k Lambda_k R_k^T.
#pragma once

#include <cstdint>
#include <vector>

#include "gdverify/theory/mixture_model.hpp"

namespace gdverify::numerics {

/// n draws (n x d, row-major); `labels`, when given, receives each draw's class.
std::vector<double> sample_mixture(const MixtureModel<double>& mixture, long n, std::uint64_t seed,
                                   std::vector<int>* labels = nullptr);

}  // namespace gdverify::numerics
