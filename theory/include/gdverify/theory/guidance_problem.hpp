// A guidance problem in the unified form of THEORY.md section 2: a base
// mixture p_0, a target mixture q_0 ∝ p_0 r, and the constant that turns the
// density ratio into the metric,
//   phi_tau(y) = kappa * p_t(y) / q_t(y),   t = T - tau.
// Reward guidance (Gaussian-shaped r): q_0 the tilted mixture, kappa = 1, so
//   phi = p_t / q_t = Z / u_t.
// CFG for class c: q_0 = p_0(. | c), and phi = 1 / p_t(c | y) = (1/pi_c) p_t / q_t,
//   so kappa = 1 / pi_c.
// The classifier reward r = p_0(c | x) gives the same q_0 with Z = pi_c and
//   kappa = 1 (phi = pi_c / p_t(c | y)): "CFG is reward guidance up to pi_c".
#pragma once

#include <cmath>
#include <string>

#include "gdverify/theory/gaussian_reward.hpp"
#include "gdverify/theory/mixture_model.hpp"

namespace gdverify {

enum class GuidanceKind { cfg, reward, classifier_reward, pair };

template <class Real>
class GuidanceProblem {
 public:
  /// CFG towards class c.
  static GuidanceProblem cfg(const MixtureModel<Real>& data, int c) {
    using std::log;
    data.check_class(c);
    return GuidanceProblem(GuidanceKind::cfg, data, data.class_conditional(c), -log(data.prior(c)), c);
  }
  /// Reward guidance with a Gaussian-shaped reward.
  static GuidanceProblem reward(const MixtureModel<Real>& data, const GaussianReward<Real>& r) {
    TiltedMixture<Real> q = r.tilt(data);
    GuidanceProblem g(GuidanceKind::reward, data, std::move(q.mixture), Real(0), -1);
    g.log_normaliser_ = q.log_normaliser;
    return g;
  }
  /// Reward guidance with the classifier reward r(x) = p_0(c | x): q_0 = p_0(. | c),
  /// Z = pi_c, metric pi_c / p_t(c | y).
  static GuidanceProblem classifier_reward(const MixtureModel<Real>& data, int c) {
    using std::log;
    data.check_class(c);
    GuidanceProblem g(GuidanceKind::classifier_reward, data, data.class_conditional(c), Real(0), c);
    g.log_normaliser_ = log(data.prior(c));
    return g;
  }

  /// A CFG-style pair given directly: base p_0, target q_0 and log kappa
  /// (e.g. Gaussian p_0 and p_0(. | c) for the exact Gaussian oracle).
  static GuidanceProblem pair(const MixtureModel<Real>& base, const MixtureModel<Real>& target,
                              Real log_kappa) {
    if (base.dimension() != target.dimension())
      throw InvalidParameter("target", "dimension differs from the base's");
    return GuidanceProblem(GuidanceKind::pair, base, target, std::move(log_kappa), -1);
  }

  [[nodiscard]] GuidanceKind kind() const { return kind_; }
  [[nodiscard]] std::string kind_name() const {
    switch (kind_) {
      case GuidanceKind::cfg: return "cfg";
      case GuidanceKind::reward: return "reward";
      case GuidanceKind::classifier_reward: return "classifier-reward";
      case GuidanceKind::pair: return "cfg-pair";
    }
    return "?";
  }
  [[nodiscard]] const MixtureModel<Real>& base() const { return base_; }
  [[nodiscard]] const MixtureModel<Real>& target() const { return target_; }
  /// log kappa in phi = kappa p_t / q_t.
  [[nodiscard]] const Real& log_metric_scale() const { return log_kappa_; }
  /// log Z = log E_p[r(X_0)] (reward forms; for CFG, log pi_c).
  [[nodiscard]] const Real& log_normaliser() const { return log_normaliser_; }
  /// The guided class for CFG forms, -1 for a Gaussian reward.
  [[nodiscard]] int guided_class() const { return class_; }
  [[nodiscard]] int dimension() const { return base_.dimension(); }

  /// The same problem in another scalar type (every number rounded), e.g. a
  /// 50-digit Gaussian problem handed to the double-precision solvers.
  template <class To>
  [[nodiscard]] GuidanceProblem<To> convert() const {
    GuidanceProblem<To> g(kind_, base_.template convert<To>(), target_.template convert<To>(),
                          static_cast<To>(log_kappa_), class_);
    g.log_normaliser_ = static_cast<To>(log_normaliser_);
    return g;
  }

 private:
  template <class>
  friend class GuidanceProblem;
  GuidanceProblem(GuidanceKind k, MixtureModel<Real> base, MixtureModel<Real> target, Real log_kappa, int c)
      : kind_(k),
        base_(std::move(base)),
        target_(std::move(target)),
        log_kappa_(std::move(log_kappa)),
        log_normaliser_(-log_kappa_),
        class_(c) {}

  GuidanceKind kind_;
  MixtureModel<Real> base_;
  MixtureModel<Real> target_;
  Real log_kappa_;
  Real log_normaliser_;
  int class_;
};

}  // namespace gdverify
