#include "gdverify/numerics/gaussian_problems.hpp"

namespace gdverify::numerics {

namespace {
MixtureModel<Real50> gaussian(int d, const Real50& mean, const Real50& var) {
  ClassSpec<Real50> c{
      Real50(1), {Real50(1)}, {Vector<Real50>::Constant(d, mean)}, {var * Matrix<Real50>::Identity(d, d)}};
  return MixtureModel<Real50>::from_classes({c});
}
}  // namespace

GuidanceProblem<Real50> gaussian_problem(const std::string& form, int d) {
  using R = Real50;
  if (form == "cfg-pair")
    return GuidanceProblem<R>::pair(gaussian(d, R(0), R(3) / 2), gaussian(d, R(1), R(1) / 2), R(0));
  if (form == "reward")
    return GuidanceProblem<R>::reward(
        gaussian(d, R(0), R(1)),
        GaussianReward<R>(Vector<R>::Constant(d, R(2)), Matrix<R>::Identity(d, d), Vector<R>::Zero(d)));
  throw InvalidParameter("guidance.kind", "unknown Gaussian problem '" + form + "' (cfg-pair or reward)");
}

}  // namespace gdverify::numerics
