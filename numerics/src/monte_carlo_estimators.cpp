#include "gdverify/numerics/monte_carlo_estimators.hpp"

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/special_functions/beta.hpp>
#include <cmath>

#include "gdverify/theory/errors.hpp"

namespace gdverify::numerics {

double two_sided_normal_quantile(double alpha) {
  if (!(alpha > 0 && alpha < 1)) throw InvalidParameter("alpha", "must lie in (0, 1)");
  return boost::math::quantile(
      boost::math::complement(boost::math::normal_distribution<double>(), alpha / 2));
}

MeanInterval mean_interval(const RunningMoments& m, double z) {
  MeanInterval r;
  r.n = m.n;
  // No finite path, no estimate: NaN, never the 0 of an empty sum.
  r.mean = m.n > 0 ? m.mean : std::numeric_limits<double>::quiet_NaN();
  r.std_error = m.n > 1 ? std::sqrt(m.variance() / m.n) : std::numeric_limits<double>::infinity();
  r.lower = r.mean - z * r.std_error;
  r.upper = r.mean + z * r.std_error;
  return r;
}

ProportionInterval clopper_pearson(double k, double n, double alpha) {
  if (!(n >= 1) || k < 0 || k > n)
    throw InvalidParameter("trials", "need 0 <= successes <= trials, trials >= 1");
  ProportionInterval r;
  r.successes = k;
  r.trials = n;
  r.estimate = k / n;
  r.lower = k == 0 ? 0.0 : boost::math::ibeta_inv(k, n - k + 1, alpha / 2);
  r.upper = k == n ? 1.0 : boost::math::ibeta_inv(k + 1, n - k, 1 - alpha / 2);
  return r;
}

std::string finiteness_name(Finiteness f) {
  switch (f) {
    case Finiteness::finite: return "finite";
    case Finiteness::infinite: return "infinite";
    case Finiteness::undetermined: return "undetermined";
  }
  return "?";
}

VarianceDecision metric_variance_under_target(const GuidanceProblem<double>& problem,
                                              const ForwardProcess<double>& process, double t) {
  return metric_moment_under_target(problem, process, t, 2);
}

VarianceDecision metric_moment_under_target(const GuidanceProblem<double>& problem,
                                            const ForwardProcess<double>& process, double t, int k) {
  if (k < 2) throw InvalidParameter("k", "moment order must be >= 2");
  const double kk = k, k1 = k - 1;
  const std::string moment = "E[phi^" + std::to_string(k) + "]";
  const double a = process.alpha(t), s2 = process.sigma2(t);
  const int d = problem.dimension();
  // Isotropic components (C = c I, e.g. empirical data): the conditions reduce
  // to scalars, c_j < 2 max_m d_m (finite) and c_j > 2 max_m d_m (infinite).
  auto isotropic_variances = [&](const MixtureModel<double>& m, std::vector<double>& out) {
    for (const auto& c : m.components()) {
      const Eigen::MatrixXd& s = c.covariance;
      if (!(s - s(0, 0) * Eigen::MatrixXd::Identity(d, d)).isZero(0.0)) return false;
      out.push_back(a * a * s(0, 0) + s2);
    }
    return true;
  };
  std::vector<double> vc, vd;
  if (isotropic_variances(problem.base(), vc) && isotropic_variances(problem.target(), vd)) {
    const double dmax = *std::max_element(vd.begin(), vd.end());
    const double cmax = *std::max_element(vc.begin(), vc.end());
    if (cmax < 2 * dmax * (1 - 1e-12))
      return {Finiteness::finite,
              "isotropic components: every base variance < 2 x the widest target variance"};
    if (cmax > 2 * dmax * (1 + 1e-12))
      return {Finiteness::infinite,
              "isotropic components: a base variance exceeds 2 x the widest target "
              "variance: E[phi^2] = infinity (docs/theory.md section 4, phi is heavy-tailed)"};
    return {Finiteness::undetermined, "isotropic components at the boundary c = 2 d: linear terms decide"};
  }
  const Eigen::MatrixXd eye = Eigen::MatrixXd::Identity(d, d);
  auto precisions = [&](const MixtureModel<double>& m) {
    std::vector<Eigen::MatrixXd> out;
    for (const auto& c : m.components()) out.push_back((a * a * c.covariance + s2 * eye).inverse());
    return out;
  };
  const auto pc = precisions(problem.base());
  const auto pd = precisions(problem.target());
  // Relative margin below which an eigenvalue counts as zero (boundary): the
  // precisions are computed in double, good to ~1e-13 relative for these sizes.
  constexpr double kMargin = 1e-10;
  bool all_finite = true;
  for (std::size_t j = 0; j < pc.size(); ++j) {
    bool some_m = false;
    std::vector<Eigen::VectorXd> witnesses;
    for (int i = 0; i < d; ++i) witnesses.push_back(eye.col(i));
    for (const auto& dm : pd) {
      Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(kk * pc[j] - k1 * dm);
      const double scale = kk * pc[j].norm() + k1 * dm.norm();
      if (es.eigenvalues().minCoeff() > kMargin * scale) some_m = true;
      for (int i = 0; i < d; ++i)
        if (es.eigenvalues()(i) < -kMargin * scale) witnesses.push_back(es.eigenvectors().col(i));
    }
    if (some_m) continue;
    all_finite = false;
    for (const auto& u : witnesses) {
      const double lhs = kk * u.dot(pc[j] * u);
      bool below_all = true;
      for (const auto& dm : pd) {
        const double rhs = k1 * u.dot(dm * u);
        if (!(lhs < rhs * (1 - kMargin))) below_all = false;
      }
      if (below_all)
        return {Finiteness::infinite, "base component " + std::to_string(j) +
                                          " is too heavy-tailed against every target component: " + moment +
                                          " = infinity (docs/theory.md section 4, phi is heavy-tailed)"};
    }
  }
  if (all_finite)
    return {Finiteness::finite, "every base component has a target component with " + std::to_string(k) +
                                    " C_j^{-1} - " + std::to_string(k - 1) + " D_m^{-1} > 0 (" + moment +
                                    " finite)"};
  return {Finiteness::undetermined, "neither the sufficient condition nor a divergence witness holds"};
}

}  // namespace gdverify::numerics
