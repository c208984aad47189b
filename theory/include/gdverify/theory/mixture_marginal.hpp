// The marginal p_t of a mixture under the forward process, evaluated in log
// space (THEORY.md sections 1 and 5):
//   p_t(x) = sum_k w_k N(x; m_k, C_k),  m_k = alpha_t mu_k,  C_k = alpha_t^2 Sigma_k + sigma_t^2 I.
// With l_k = log w_k + log N(x; m_k, C_k), responsibilities r_k = exp(l_k - LSE(l)),
// and component scores s_k = -C_k^{-1}(x - m_k):
//   log p_t   = LSE_k l_k                                  (restricted to class c: minus log pi_c)
//   score     = sum_k r_k s_k
//   Hessian   = sum_k r_k (-C_k^{-1}) + sum_k r_k (s_k - s)(s_k - s)^T   (the stable covariance form)
//   d/dt log p_t = sum_k r_k [ -1/2 tr(C_k^{-1} C_k') - s_k . m_k' + 1/2 s_k^T C_k' s_k ],
//     m_k' = alpha_t' mu_k,  C_k' = 2 alpha_t alpha_t' Sigma_k + (sigma_t^2)' I,
//   d/dt score = sum_k r_k [ (l_k' - d/dt log p_t) s_k + s_k' ],  s_k' = -C_k^{-1} (C_k' s_k - m_k'),
//     l_k' the bracket above (the validated flow's Taylor remainder needs it).
#pragma once

#include <boost/math/constants/constants.hpp>
#include <cmath>
#include <limits>
#include <vector>

#include "gdverify/theory/forward_process.hpp"
#include "gdverify/theory/linear_algebra.hpp"
#include "gdverify/theory/log_sum_exp.hpp"
#include "gdverify/theory/mixture_model.hpp"

namespace gdverify {

/// What a call to MixtureMarginal::evaluate computes beyond the log density.
struct EvalRequest {
  bool score = true;
  bool hessian = false;
  bool time_derivative = false;
  bool score_time_derivative = false;  ///< d/dt of the score (implies the time derivative)
};

template <class Real>
struct MarginalEvaluation {
  Real log_density;        ///< log p_t(x) (or log p_t(x | c))
  Vector<Real> score;      ///< grad log p_t
  Matrix<Real> hessian;    ///< Hessian of log p_t
  Real dlog_dt = Real(0);  ///< partial_t log p_t(x)
  Vector<Real> dscore_dt;  ///< partial_t grad log p_t(x) (score_time_derivative)
  // Rounding scales: the responsibility-weighted sums of the absolute sizes
  // of the summands behind score, Laplacian and d/dt (cancellation inside a
  // mixture sum can make the result far smaller than what was added up).
  Vector<Real> score_scale;        ///< sum_k r_k |s_k| (entrywise)
  Real laplacian_scale = Real(0);  ///< sum_k r_k (|s_k - s|^2 + |tr C_k^{-1}|)
  Real dlog_dt_scale = Real(0);    ///< sum_k r_k (|tr(C^{-1}C')|/2 + |s_k . m_k'| + |s_k^T C' s_k|/2)
};

template <class Real>
class MixtureMarginal {
 public:
  /// All classes: pass `kAllClasses` as the class argument below.
  static constexpr int kAllClasses = -1;

  MixtureMarginal(const MixtureModel<Real>& model, const ForwardProcess<Real>& process, const Real& t)
      : num_classes_(model.num_classes()), dim_(model.dimension()), t_(t) {
    using std::log;
    const Real a = process.alpha(t);
    const Real s2 = process.sigma2(t);
    const Real da = process.dalpha_dt(t);
    const Real ds2 = process.dsigma2_dt(t);
    if (model.degenerate() && !(s2 > 0))
      throw InvalidParameter("t", "an empirical (zero-covariance) mixture has no density at t = 0");
    const auto d = static_cast<Eigen::Index>(dim_);
    const Matrix<Real> eye = Matrix<Real>::Identity(d, d);
    log_prior_.assign(static_cast<std::size_t>(num_classes_), Real(0));
    std::vector<Real> prior(static_cast<std::size_t>(num_classes_), Real(0));
    for (const auto& k : model.components()) prior[static_cast<std::size_t>(k.label)] += k.weight;
    for (int c = 0; c < num_classes_; ++c)
      log_prior_[static_cast<std::size_t>(c)] = log(prior[static_cast<std::size_t>(c)]);
    comps_.reserve(model.components().size());
    for (const auto& k : model.components()) {
      Cached ck;
      ck.label = k.label;
      ck.mean = a * k.mean;
      const Matrix<Real> cov = (a * a) * k.covariance + s2 * eye;
      auto llt = spd_factor<Real>(cov, "marginal covariance");
      ck.precision = llt.solve(eye);
      ck.precision = symmetric_part(ck.precision);
      Real logdet = 0;
      for (Eigen::Index i = 0; i < d; ++i) logdet += 2 * log(llt.matrixLLT()(i, i));
      ck.log_norm = log(k.weight) - logdet / 2 - Real(static_cast<int>(d)) * log_root_two_pi();
      ck.dmean = da * k.mean;
      ck.dcov = (2 * a * da) * k.covariance + ds2 * eye;
      ck.trace_prec_dcov = (ck.precision * ck.dcov).trace();
      comps_.push_back(std::move(ck));
    }
  }

  /// The mixture itself as a density (t = 0 of any schedule: alpha = 1, sigma = 0).
  static MixtureMarginal of(const MixtureModel<Real>& model) {
    return MixtureMarginal(model, ForwardProcess<Real>::ou(Real(1)), Real(0));
  }

  [[nodiscard]] int dimension() const { return dim_; }
  [[nodiscard]] int num_classes() const { return num_classes_; }
  [[nodiscard]] const Real& time() const { return t_; }
  [[nodiscard]] Real log_prior(int c) const { return log_prior_.at(static_cast<std::size_t>(c)); }

  /// Evaluates log p_t(x | c) (c = kAllClasses: log p_t(x)) and what `req` asks for.
  [[nodiscard]] MarginalEvaluation<Real> evaluate(const Vector<Real>& x, int c = kAllClasses,
                                                  EvalRequest req = {}) const {
    using std::abs;
    using std::exp;
    check(x, c);
    const auto d = static_cast<Eigen::Index>(dim_);
    std::vector<Real> l;
    const bool time_derivative = req.time_derivative || req.score_time_derivative;
    if (!req.score && !req.hessian && !time_derivative) {  // the log density alone
      component_logs(x, c, l);
      MarginalEvaluation<Real> out;
      const Real lse = log_sum_exp(l);
      out.log_density = c == kAllClasses ? lse : lse - log_prior_[static_cast<std::size_t>(c)];
      return out;
    }
    std::vector<Vector<Real>> s;
    std::vector<const Cached*> used;
    l.reserve(comps_.size());
    s.reserve(comps_.size());
    for (const auto& k : comps_) {
      if (c != kAllClasses && k.label != c) continue;
      Vector<Real> diff = x - k.mean;
      Vector<Real> sk = -(k.precision * diff);
      l.push_back(k.log_norm + diff.dot(sk) / 2);
      s.push_back(std::move(sk));
      used.push_back(&k);
    }
    const Real lse = log_sum_exp(l);
    MarginalEvaluation<Real> out;
    out.log_density = c == kAllClasses ? lse : lse - log_prior_[static_cast<std::size_t>(c)];
    if (!req.score && !req.hessian && !time_derivative) return out;
    std::vector<Real> r(l.size());
    for (std::size_t i = 0; i < l.size(); ++i) r[i] = exp(l[i] - lse);
    out.score = Vector<Real>::Zero(d);
    out.score_scale = Vector<Real>::Zero(d);
    for (std::size_t i = 0; i < l.size(); ++i) {
      out.score += r[i] * s[i];
      out.score_scale += r[i] * s[i].cwiseAbs();
    }
    if (req.hessian) {
      out.hessian = Matrix<Real>::Zero(d, d);
      for (std::size_t i = 0; i < l.size(); ++i) {
        const Vector<Real> dev = s[i] - out.score;
        out.hessian += r[i] * (dev * dev.transpose() - used[i]->precision);
        out.laplacian_scale += r[i] * (dev.squaredNorm() + abs(used[i]->precision.trace()));
      }
    }
    if (time_derivative) {
      Real acc = 0;
      std::vector<Real> dl(l.size());
      for (std::size_t i = 0; i < l.size(); ++i) {
        const Cached& k = *used[i];
        const Real quad = s[i].dot(k.dcov * s[i]);
        const Real lin = s[i].dot(k.dmean);
        dl[i] = -k.trace_prec_dcov / 2 - lin + quad / 2;
        acc += r[i] * dl[i];
        out.dlog_dt_scale += r[i] * (abs(k.trace_prec_dcov) / 2 + abs(lin) + abs(quad) / 2);
      }
      out.dlog_dt = acc;
      if (req.score_time_derivative) {
        out.dscore_dt = Vector<Real>::Zero(d);
        for (std::size_t i = 0; i < l.size(); ++i) {
          const Cached& k = *used[i];
          const Vector<Real> ds = -(k.precision * (k.dcov * s[i] - k.dmean));
          out.dscore_dt += r[i] * ((dl[i] - acc) * s[i] + ds);
        }
      }
    }
    return out;
  }

  /// log p_t(x).
  [[nodiscard]] Real log_density(const Vector<Real>& x) const {
    return evaluate(x, kAllClasses, {false, false, false}).log_density;
  }
  /// log p_t(x | c).
  [[nodiscard]] Real log_class_density(int c, const Vector<Real>& x) const {
    return evaluate(x, c, {false, false, false}).log_density;
  }
  /// log p_t(c | x) = log pi_c + log p_t(x | c) - log p_t(x), from two
  /// log-sum-exps over the same component terms (never a ratio of densities).
  [[nodiscard]] Real log_classifier(int c, const Vector<Real>& x) const {
    check(x, c);
    std::vector<Real> all, in_c;
    component_logs(x, kAllClasses, all);
    for (std::size_t i = 0; i < comps_.size(); ++i)
      if (comps_[i].label == c) in_c.push_back(all[i]);
    // The same operations as log_prior + log_class_density - log_density, the
    // component terms formed once.
    return log_prior(c) + (log_sum_exp(in_c) - log_prior(c)) - log_sum_exp(all);
  }
  /// p_t(c | x).
  [[nodiscard]] Real classifier(int c, const Vector<Real>& x) const {
    using std::exp;
    return exp(log_classifier(c, x));
  }
  [[nodiscard]] Vector<Real> score(const Vector<Real>& x, int c = kAllClasses) const {
    return evaluate(x, c).score;
  }
  [[nodiscard]] Matrix<Real> hessian(const Vector<Real>& x, int c = kAllClasses) const {
    return evaluate(x, c, {true, true, false}).hessian;
  }
  /// Laplacian of log p_t = trace of its Hessian.
  [[nodiscard]] Real laplacian(const Vector<Real>& x, int c = kAllClasses) const {
    return hessian(x, c).trace();
  }

 private:
  /// log sqrt(2 pi). For enclosure types from pi = 4 atan(1) in the type's own
  /// arithmetic, since Boost's table constant is a rounded decimal there, not
  /// an enclosure.
  static Real log_root_two_pi() {
    if constexpr (is_enclosure_v<Real>) {
      using std::atan;
      using std::log;
      return log(8 * atan(Real(1))) / 2;
    } else {
      return boost::math::constants::log_root_two_pi<Real>();
    }
  }

  struct Cached {
    int label = 0;
    Vector<Real> mean;
    Matrix<Real> precision;
    Real log_norm;
    Vector<Real> dmean;
    Matrix<Real> dcov;
    Real trace_prec_dcov;
  };

  /// The log-sum-exp terms l_k = log w_k + log N(x; m_k, C_k) of class c (or
  /// of all), as evaluate forms them (l_k = log_norm + (x - m)^T s_k / 2 with
  /// s_k = -C_k^{-1} (x - m)); in 1-D without vector temporaries, by the same
  /// operations in the same order.
  void component_logs(const Vector<Real>& x, int c, std::vector<Real>& l) const {
    l.clear();
    l.reserve(comps_.size());
    for (const auto& k : comps_) {
      if (c != kAllClasses && k.label != c) continue;
      if (dim_ == 1) {
        const Real u = x(0) - k.mean(0);
        l.push_back(k.log_norm + u * (-(k.precision(0, 0) * u)) / 2);
      } else {
        const Vector<Real> diff = x - k.mean;
        const Vector<Real> sk = -(k.precision * diff);
        l.push_back(k.log_norm + diff.dot(sk) / 2);
      }
    }
  }

  void check(const Vector<Real>& x, int c) const {
    if (x.size() != dim_)
      throw InvalidParameter(
          "x", "dimension " + std::to_string(x.size()) + " differs from " + std::to_string(dim_));
    if (c != kAllClasses && (c < 0 || c >= num_classes_))
      throw InvalidParameter(
          "class", "class " + std::to_string(c) + " outside [0, " + std::to_string(num_classes_) + ")");
  }

  int num_classes_;
  int dim_;
  Real t_;
  std::vector<Real> log_prior_;
  std::vector<Cached> comps_;
};

}  // namespace gdverify
