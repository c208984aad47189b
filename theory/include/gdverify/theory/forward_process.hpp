// The forward (noising) process X_t = alpha_t X_0 + sigma_t Z of THEORY.md
// section 1, as the SDE dX = f(t) X dt + g(t) dW with f = alpha'/alpha and
// g^2 = (sigma^2)' - 2 f sigma^2. Three schedules, all in closed form:
//
//   ou        alpha = e^{-t},             sigma^2 = 1 - e^{-2t},  f = -1,         g^2 = 2
//   vp-linear alpha = exp(-B(t)/2),       sigma^2 = 1 - e^{-B},   f = -beta/2,    g^2 = beta
//             beta(t) = bmin + t (bmax - bmin),  B(t) = bmin t + (bmax - bmin) t^2 / 2
//   linear    alpha = sqrt(1 - t),        sigma^2 = t,            f = -1/(2(1-t)), g^2 = 1/(1-t)
#pragma once

#include <boost/math/special_functions/expm1.hpp>
#include <boost/math/special_functions/fpclassify.hpp>
#include <cmath>
#include <string>
#include <string_view>

#include "gdverify/theory/errors.hpp"

namespace gdverify {

enum class ScheduleKind { ou, vp_linear, linear };

/// Name used in scenario files and check names: "ou", "vp-linear", "linear".
inline std::string schedule_name(ScheduleKind k) {
  switch (k) {
    case ScheduleKind::ou: return "ou";
    case ScheduleKind::vp_linear: return "vp-linear";
    case ScheduleKind::linear: return "linear";
  }
  return "?";
}

/// Parses a schedule name; throws InvalidParameter(field) for an unknown one.
inline ScheduleKind parse_schedule(std::string_view name, const std::string& field = "schedule") {
  if (name == "ou") return ScheduleKind::ou;
  if (name == "vp-linear") return ScheduleKind::vp_linear;
  if (name == "linear") return ScheduleKind::linear;
  throw InvalidParameter(field,
                         "unknown schedule '" + std::string(name) + "' (expected ou, vp-linear or linear)");
}

template <class Real>
class ForwardProcess {
 public:
  /// Ornstein-Uhlenbeck on [0, T].
  static ForwardProcess ou(Real horizon) {
    if (!(horizon > 0) || !boost::math::isfinite(horizon))
      throw InvalidParameter("schedule.horizon", "must be finite and > 0");
    return ForwardProcess(ScheduleKind::ou, horizon, Real(0), Real(0));
  }
  /// Variance-preserving, linear beta on [0, 1].
  static ForwardProcess vp_linear(Real beta_min = Real(1) / 10, Real beta_max = Real(20)) {
    if (!(beta_min >= 0) || !boost::math::isfinite(beta_min))
      throw InvalidParameter("schedule.beta_min", "must be finite and >= 0");
    if (!(beta_max > 0) || !boost::math::isfinite(beta_max) || beta_max < beta_min)
      throw InvalidParameter("schedule.beta_max", "must be finite, > 0 and >= beta_min");
    return ForwardProcess(ScheduleKind::vp_linear, Real(1), beta_min, beta_max);
  }
  /// alpha = sqrt(1 - t), sigma^2 = t on [0, 1] (paper 2's convention).
  static ForwardProcess linear() { return ForwardProcess(ScheduleKind::linear, Real(1), Real(0), Real(0)); }

  [[nodiscard]] ScheduleKind kind() const { return kind_; }
  [[nodiscard]] std::string name() const { return schedule_name(kind_); }
  /// The horizon T (1 for vp-linear and linear).
  [[nodiscard]] Real horizon() const { return horizon_; }
  [[nodiscard]] Real beta_min() const { return beta_min_; }
  [[nodiscard]] Real beta_max() const { return beta_max_; }

  /// alpha_t.
  [[nodiscard]] Real alpha(Real t) const {
    using std::exp;
    using std::sqrt;
    check_time(t);
    switch (kind_) {
      case ScheduleKind::ou: return exp(-t);
      case ScheduleKind::vp_linear: return exp(-integrated_beta(t) / 2);
      case ScheduleKind::linear: return sqrt(1 - t);
    }
    return Real(0);
  }
  /// sigma_t^2, computed with expm1 so that it is accurate for small t.
  [[nodiscard]] Real sigma2(Real t) const {
    using boost::math::expm1;
    check_time(t);
    switch (kind_) {
      case ScheduleKind::ou: return -expm1(-2 * t);
      case ScheduleKind::vp_linear: return -expm1(-integrated_beta(t));
      case ScheduleKind::linear: return t;
    }
    return Real(0);
  }
  /// d alpha_t / dt, in closed form (f = alpha'/alpha is then a checked identity).
  [[nodiscard]] Real dalpha_dt(Real t) const {
    using std::exp;
    using std::sqrt;
    check_time(t);
    switch (kind_) {
      case ScheduleKind::ou: return -exp(-t);
      case ScheduleKind::vp_linear: return -beta(t) * exp(-integrated_beta(t) / 2) / 2;
      case ScheduleKind::linear: return -1 / (2 * sqrt(1 - t));
    }
    return Real(0);
  }
  /// d sigma_t^2 / dt.
  [[nodiscard]] Real dsigma2_dt(Real t) const {
    using std::exp;
    check_time(t);
    switch (kind_) {
      case ScheduleKind::ou: return 2 * exp(-2 * t);
      case ScheduleKind::vp_linear: return beta(t) * exp(-integrated_beta(t));
      case ScheduleKind::linear: return Real(1);
    }
    return Real(0);
  }
  /// Drift coefficient f(t) = alpha'/alpha.
  [[nodiscard]] Real f(Real t) const {
    check_time(t);
    switch (kind_) {
      case ScheduleKind::ou: return Real(-1);
      case ScheduleKind::vp_linear: return -beta(t) / 2;
      case ScheduleKind::linear: return -1 / (2 * (1 - t));
    }
    return Real(0);
  }
  /// Squared diffusion coefficient g(t)^2 = (sigma^2)' - 2 f sigma^2.
  [[nodiscard]] Real g2(Real t) const {
    check_time(t);
    switch (kind_) {
      case ScheduleKind::ou: return Real(2);
      case ScheduleKind::vp_linear: return beta(t);
      case ScheduleKind::linear: return 1 / (1 - t);
    }
    return Real(0);
  }

 private:
  ForwardProcess(ScheduleKind k, Real horizon, Real bmin, Real bmax)
      : kind_(k), horizon_(horizon), beta_min_(bmin), beta_max_(bmax) {}

  [[nodiscard]] Real beta(Real t) const { return beta_min_ + t * (beta_max_ - beta_min_); }
  [[nodiscard]] Real integrated_beta(Real t) const {
    return beta_min_ * t + (beta_max_ - beta_min_) * t * t / 2;
  }
  /// Times outside [0, T] are errors; the linear schedule is singular at t = 1
  /// (alpha = 0, f and g^2 infinite), so it is defined on [0, 1) only.
  void check_time(const Real& t) const {
    if (!boost::math::isfinite(t) || t < 0 || t > horizon_)
      throw InvalidParameter("t", "time outside [0, T] of schedule " + name());
    if (kind_ == ScheduleKind::linear && !(t < 1))
      throw InvalidParameter("t", "the linear schedule is singular at t = 1; use early stopping");
  }

  ScheduleKind kind_;
  Real horizon_;
  Real beta_min_;
  Real beta_max_;
};

}  // namespace gdverify
