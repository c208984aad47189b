// Class-labelled Gaussian mixtures in R^d (THEORY.md section 1):
//   p_0(x | c) = sum_k a_ck N(x; mu_ck, Sigma_ck),   p_0 = sum_c pi_c p_0(. | c).
// Stored flat: component k carries its total weight w_k = pi_c a_ck and its
// class label c, so that p_0 = sum_k w_k N_k and pi_c = sum_{k in c} w_k.
// An empirical data set is the special case of equal weights and zero
// covariances ("degenerate"); it has a density only for t > 0.
#pragma once

#include <algorithm>
#include <boost/math/special_functions/fpclassify.hpp>
#include <boost/math/tools/precision.hpp>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "gdverify/theory/certainly.hpp"
#include "gdverify/theory/errors.hpp"
#include "gdverify/theory/forward_process.hpp"
#include "gdverify/theory/linear_algebra.hpp"

namespace gdverify {

template <class Real>
struct GaussianComponent {
  Real weight;  ///< total weight pi_c a_ck; the weights of a mixture sum to 1
  int label;    ///< class index c in [0, C)
  Vector<Real> mean;
  Matrix<Real> covariance;  ///< SPD, or zero for empirical data
};

/// The input form of one class: prior pi_c and its components (weights a_ck
/// summing to one within the class).
template <class Real>
struct ClassSpec {
  Real prior;
  std::vector<Real> weights;
  std::vector<Vector<Real>> means;
  std::vector<Matrix<Real>> covariances;
};

/// Tolerance for "weights sum to one": n summands each carrying at most one
/// rounding of the type they were typed in (inputs usually arrive as double,
/// so the tolerance is never tighter than double's), and n roundings of the
/// summation: 4 n max(eps_Real, eps_double). Accepted weights are then
/// renormalised exactly in Real.
template <class Real>
Real weight_sum_tolerance(std::size_t n) {
  const Real er = boost::math::tools::epsilon<Real>();
  const Real ed = Real(std::numeric_limits<double>::epsilon());
  return Real(4) * Real(static_cast<int>(n)) * (er > ed ? er : ed);
}

template <class Real>
class MixtureModel {
 public:
  MixtureModel() = default;

  /// Builds and validates a mixture from its classes. Throws InvalidParameter
  /// naming the field: `classes[i].prior`, `classes[i].weights`,
  /// `classes[i].components[k].mean` or `.covariance`.
  static MixtureModel from_classes(const std::vector<ClassSpec<Real>>& classes) {
    if (classes.empty()) throw InvalidParameter("classes", "at least one class is required");
    std::vector<GaussianComponent<Real>> comps;
    Real prior_sum = 0;
    Eigen::Index d = -1;
    for (std::size_t c = 0; c < classes.size(); ++c) {
      const auto& cs = classes[c];
      const std::string cf = "classes[" + std::to_string(c) + "]";
      if (!boost::math::isfinite(cs.prior)) throw InvalidParameter(cf + ".prior", "is NaN or infinite");
      if (!(cs.prior > 0)) throw InvalidParameter(cf + ".prior", "must be > 0");
      prior_sum += cs.prior;
      if (cs.weights.empty())
        throw InvalidParameter(cf + ".components", "a class needs at least one component");
      if (cs.means.size() != cs.weights.size() || cs.covariances.size() != cs.weights.size())
        throw InvalidParameter(cf + ".components", "weights, means and covariances differ in number");
      Real wsum = 0;
      for (std::size_t k = 0; k < cs.weights.size(); ++k) {
        const std::string kf = cf + ".components[" + std::to_string(k) + "]";
        if (!boost::math::isfinite(cs.weights[k]))
          throw InvalidParameter(kf + ".weight", "is NaN or infinite");
        if (!(cs.weights[k] > 0)) throw InvalidParameter(kf + ".weight", "must be > 0");
        wsum += cs.weights[k];
        if (d < 0) d = cs.means[k].size();
        if (d < 1) throw InvalidParameter(kf + ".mean", "dimension must be >= 1");
        if (cs.means[k].size() != d)
          throw InvalidParameter(kf + ".mean", "dimension " + std::to_string(cs.means[k].size()) +
                                                   " differs from " + std::to_string(d));
        if (!all_finite(cs.means[k])) throw InvalidParameter(kf + ".mean", "contains NaN or infinity");
        require_finite_square<Real>(cs.covariances[k], d, kf + ".covariance");
        spd_factor<Real>(cs.covariances[k], kf + ".covariance");
      }
      using std::abs;
      if (certainly_greater<Real>(abs(wsum - 1), weight_sum_tolerance<Real>(cs.weights.size())))
        throw InvalidParameter(cf + ".weights", "component weights must sum to 1");
      for (std::size_t k = 0; k < cs.weights.size(); ++k)
        comps.push_back({cs.prior * (cs.weights[k] / wsum), static_cast<int>(c), cs.means[k],
                         symmetric_part(cs.covariances[k])});
    }
    using std::abs;
    if (certainly_greater<Real>(abs(prior_sum - 1), weight_sum_tolerance<Real>(classes.size())))
      throw InvalidParameter("classes.prior", "class priors must sum to 1");
    for (auto& k : comps) k.weight /= prior_sum;
    return MixtureModel(std::move(comps), static_cast<int>(classes.size()), false);
  }

  /// An empirical data set: equal weights 1/n, zero covariances, priors equal
  /// to the class frequencies. Labels must lie in [0, num_classes) and every
  /// class must occur.
  static MixtureModel empirical(const std::vector<Vector<Real>>& points, const std::vector<int>& labels,
                                int num_classes) {
    if (points.empty()) throw InvalidParameter("data.points", "empty data set");
    if (labels.size() != points.size())
      throw InvalidParameter("data.labels", "one label per point is required");
    const Eigen::Index d = points.front().size();
    std::vector<int> count(static_cast<std::size_t>(std::max(num_classes, 0)), 0);
    std::vector<GaussianComponent<Real>> comps;
    comps.reserve(points.size());
    const Real w = Real(1) / Real(static_cast<int>(points.size()));
    for (std::size_t i = 0; i < points.size(); ++i) {
      const std::string f = "data.points[" + std::to_string(i) + "]";
      if (points[i].size() != d) throw InvalidParameter(f, "dimension differs from the first point");
      if (!all_finite(points[i])) throw InvalidParameter(f, "contains NaN or infinity");
      if (labels[i] < 0 || labels[i] >= num_classes)
        throw InvalidParameter("data.labels[" + std::to_string(i) + "]", "label outside [0, classes)");
      ++count[static_cast<std::size_t>(labels[i])];
      comps.push_back({w, labels[i], points[i], Matrix<Real>::Zero(d, d)});
    }
    for (int c = 0; c < num_classes; ++c)
      if (count[static_cast<std::size_t>(c)] == 0)
        throw InvalidParameter("data.labels", "class " + std::to_string(c) + " has no point");
    return MixtureModel(std::move(comps), num_classes, true);
  }

  /// Builds a mixture from flat components whose weights already sum to one
  /// (derived mixtures: tilted, posterior, marginal). Covariances must be SPD
  /// unless `allow_degenerate` (then positive semi-definite is accepted
  /// unchecked: it is the caller's construction).
  static MixtureModel from_components(std::vector<GaussianComponent<Real>> comps, int num_classes,
                                      bool allow_degenerate) {
    if (comps.empty()) throw InvalidParameter("components", "empty mixture");
    Real s = 0;
    for (std::size_t k = 0; k < comps.size(); ++k) {
      const std::string f = "components[" + std::to_string(k) + "]";
      if (!certainly_greater(comps[k].weight, Real(0)) || !boost::math::isfinite(comps[k].weight))
        throw InvalidParameter(f + ".weight", "must be finite and > 0");
      if (comps[k].label < 0 || comps[k].label >= num_classes)
        throw InvalidParameter(f + ".label", "outside [0, classes)");
      if (comps[k].mean.size() != comps.front().mean.size())
        throw InvalidParameter(f + ".mean", "dimension differs");
      require_finite_square<Real>(comps[k].covariance, comps.front().mean.size(), f + ".covariance");
      if (!allow_degenerate) spd_factor<Real>(comps[k].covariance, f + ".covariance");
      comps[k].covariance = symmetric_part(comps[k].covariance);
      s += comps[k].weight;
    }
    using std::abs;
    if (certainly_greater<Real>(abs(s - 1), weight_sum_tolerance<Real>(comps.size())))
      throw InvalidParameter("components.weight", "weights must sum to 1");
    for (auto& k : comps) k.weight /= s;
    return MixtureModel(std::move(comps), num_classes, allow_degenerate);
  }

  [[nodiscard]] int dimension() const { return static_cast<int>(components_.front().mean.size()); }
  [[nodiscard]] int num_classes() const { return num_classes_; }
  [[nodiscard]] bool degenerate() const { return degenerate_; }
  [[nodiscard]] const std::vector<GaussianComponent<Real>>& components() const { return components_; }

  /// pi_c = sum of the weights of the components of class c.
  [[nodiscard]] Real prior(int c) const {
    check_class(c);
    Real s = 0;
    for (const auto& k : components_)
      if (k.label == c) s += k.weight;
    return s;
  }

  /// p_0(. | c) as a one-class mixture (label 0), weights a_ck.
  [[nodiscard]] MixtureModel class_conditional(int c) const {
    check_class(c);
    std::vector<GaussianComponent<Real>> comps;
    const Real pc = prior(c);
    for (const auto& k : components_)
      if (k.label == c) comps.push_back({k.weight / pc, 0, k.mean, k.covariance});
    return MixtureModel(std::move(comps), 1, degenerate_);
  }

  /// The law of X_t = alpha_t X_0 + sigma_t Z: components
  /// N(alpha_t mu_k, alpha_t^2 Sigma_k + sigma_t^2 I), same weights and labels.
  [[nodiscard]] MixtureModel at_time(const ForwardProcess<Real>& process, const Real& t) const {
    const Real a = process.alpha(t);
    const Real s2 = process.sigma2(t);
    std::vector<GaussianComponent<Real>> comps = components_;
    const Eigen::Index d = dimension();
    for (auto& k : comps) {
      k.mean = a * k.mean;
      k.covariance = (a * a) * k.covariance + s2 * Matrix<Real>::Identity(d, d);
    }
    return MixtureModel(std::move(comps), num_classes_, degenerate_ && !(s2 > 0));
  }

  /// The same mixture in another scalar type (rounded entrywise), e.g. a
  /// 50-digit problem handed to the double-precision Monte Carlo engine.
  template <class To>
  [[nodiscard]] MixtureModel<To> convert() const {
    std::vector<GaussianComponent<To>> comps;
    for (const auto& k : components_)
      comps.push_back(
          {static_cast<To>(k.weight), k.label, k.mean.template cast<To>(), k.covariance.template cast<To>()});
    return MixtureModel<To>::converted(std::move(comps), num_classes_, degenerate_);
  }

  void check_class(int c) const {
    if (c < 0 || c >= num_classes_)
      throw InvalidParameter(
          "class", "class " + std::to_string(c) + " outside [0, " + std::to_string(num_classes_) + ")");
  }

 private:
  template <class>
  friend class MixtureModel;
  static MixtureModel converted(std::vector<GaussianComponent<Real>> comps, int num_classes,
                                bool degenerate) {
    return MixtureModel(std::move(comps), num_classes, degenerate);
  }
  MixtureModel(std::vector<GaussianComponent<Real>> comps, int num_classes, bool degenerate)
      : components_(std::move(comps)), num_classes_(num_classes), degenerate_(degenerate) {}

  std::vector<GaussianComponent<Real>> components_;
  int num_classes_ = 0;
  bool degenerate_ = false;
};

}  // namespace gdverify
