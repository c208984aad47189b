// Guided score fields, the metric and the reverse-time drifts at one time t
// (THEORY.md sections 1 and 2). With s = grad log p_t (base) and
// s^r = grad log q_t (target: the conditional score for CFG, the
// reward-reweighted score for reward guidance):
//   guided score   s^w = s^r + w (s^r - s) = (1 + w) s^r - w s
//   metric         phi_tau(y) = kappa p_t(y) / q_t(y),   tau = T - t
//   reverse SDE    b^w(y) = -f(t) y + g(t)^2 s^w(y)
//   prob.-flow ODE b^w_ode(y) = -f(t) y + g(t)^2 s^w(y) / 2
#pragma once

#include <cmath>

#include "gdverify/theory/forward_process.hpp"
#include "gdverify/theory/guidance_problem.hpp"
#include "gdverify/theory/linear_algebra.hpp"
#include "gdverify/theory/mixture_marginal.hpp"

namespace gdverify {

template <class Real>
struct GuidedEvaluation {
  MarginalEvaluation<Real> base;    ///< log p_t, s, (Hessian, d/dt log p_t)
  MarginalEvaluation<Real> target;  ///< log q_t, s^r, (Hessian, d/dt log q_t)
  Real log_metric;                  ///< log phi = log kappa + log p_t - log q_t

  /// s^w = s^r + w (s^r - s).
  [[nodiscard]] Vector<Real> guided_score(const Real& w) const {
    return target.score + w * (target.score - base.score);
  }
  /// grad log phi = s - s^r.
  [[nodiscard]] Vector<Real> grad_log_metric() const { return base.score - target.score; }
};

template <class Real>
class GuidedScore {
 public:
  GuidedScore(const GuidanceProblem<Real>& problem, const ForwardProcess<Real>& process, const Real& t)
      : process_(process),
        t_(t),
        log_kappa_(problem.log_metric_scale()),
        log_normaliser_(problem.log_normaliser()),
        base_(problem.base(), process, t),
        target_(problem.target(), process, t) {}

  [[nodiscard]] const Real& time() const { return t_; }
  [[nodiscard]] Real tau() const { return process_.horizon() - t_; }
  [[nodiscard]] const ForwardProcess<Real>& process() const { return process_; }
  [[nodiscard]] const MixtureMarginal<Real>& base() const { return base_; }
  [[nodiscard]] const MixtureMarginal<Real>& target() const { return target_; }

  [[nodiscard]] GuidedEvaluation<Real> evaluate(const Vector<Real>& y, EvalRequest req = {}) const {
    GuidedEvaluation<Real> e{base_.evaluate(y, MixtureMarginal<Real>::kAllClasses, req),
                             target_.evaluate(y, MixtureMarginal<Real>::kAllClasses, req), Real(0)};
    e.log_metric = log_kappa_ + e.base.log_density - e.target.log_density;
    return e;
  }

  /// s^w(y).
  [[nodiscard]] Vector<Real> score(const Vector<Real>& y, const Real& w) const {
    return evaluate(y).guided_score(w);
  }
  /// log phi_tau(y).
  [[nodiscard]] Real log_metric(const Vector<Real>& y) const {
    return log_kappa_ + base_.log_density(y) - target_.log_density(y);
  }
  /// log u_t(y) = log E[r(X_0) | X_t = y] = log Z + log q_t(y) - log p_t(y)
  /// (THEORY.md section 2; for CFG forms r = p_0(c | x) and u_t = p_t(c | y)).
  [[nodiscard]] Real log_expected_reward(const Vector<Real>& y) const {
    return log_normaliser_ + target_.log_density(y) - base_.log_density(y);
  }
  /// phi_tau(y).
  [[nodiscard]] Real metric(const Vector<Real>& y) const {
    using std::exp;
    return exp(log_metric(y));
  }
  /// Reverse-SDE drift -f y + g^2 s^w(y).
  [[nodiscard]] Vector<Real> sde_drift(const Vector<Real>& y, const Real& w) const {
    return -process_.f(t_) * y + process_.g2(t_) * score(y, w);
  }
  /// Probability-flow ODE drift -f y + g^2 s^w(y) / 2.
  [[nodiscard]] Vector<Real> ode_drift(const Vector<Real>& y, const Real& w) const {
    return -process_.f(t_) * y + (process_.g2(t_) / 2) * score(y, w);
  }

 private:
  ForwardProcess<Real> process_;
  Real t_;
  Real log_kappa_;
  Real log_normaliser_;
  MixtureMarginal<Real> base_;
  MixtureMarginal<Real> target_;
};

}  // namespace gdverify
