// Draws from a Gaussian mixture (numerics/include/gdverify/numerics/mixture_sampling.hpp).
#include "gdverify/numerics/mixture_sampling.hpp"

#include <Eigen/Eigenvalues>
#include <cmath>
#include <random>

#include "gdverify/theory/errors.hpp"

namespace gdverify::numerics {

std::vector<double> sample_mixture(const MixtureModel<double>& mixture, long n, std::uint64_t seed,
                                   std::vector<int>* labels) {
  if (n < 0) throw InvalidParameter("n", "must be >= 0");
  const int d = mixture.dimension();
  std::vector<Eigen::MatrixXd> roots;
  std::vector<double> cumulative;
  double total = 0;
  for (const auto& c : mixture.components()) {
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(c.covariance);
    const Eigen::VectorXd root = es.eigenvalues().cwiseMax(0.0).cwiseSqrt();
    roots.push_back(es.eigenvectors() * root.asDiagonal());
    total += c.weight;
    cumulative.push_back(total);
  }
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unif(0.0, total);
  std::normal_distribution<double> normal;
  std::vector<double> out(static_cast<std::size_t>(n) * static_cast<std::size_t>(d));
  if (labels) labels->assign(static_cast<std::size_t>(n), 0);
  Eigen::VectorXd z(d);
  for (long i = 0; i < n; ++i) {
    const double u = unif(rng);
    std::size_t k = 0;
    while (k + 1 < cumulative.size() && cumulative[k] < u) ++k;
    for (int j = 0; j < d; ++j) z(j) = normal(rng);
    const Eigen::VectorXd x = mixture.components()[k].mean + roots[k] * z;
    for (int j = 0; j < d; ++j) out[static_cast<std::size_t>(i * d + j)] = x(j);
    if (labels) (*labels)[static_cast<std::size_t>(i)] = mixture.components()[k].label;
  }
  return out;
}

}  // namespace gdverify::numerics
