// Certified integrals over the whole real line (docs/theory.md section 6):
//   integral_R f = integral_[lo, hi] f  +  tails,
// the first enclosed by Arb's acb_calc_integrate on the integrand evaluated in
// ball arithmetic through the theory templates (arb_ball.hpp), the second
// bounded rigorously by a Gaussian envelope of f outside [lo, hi].
//
// The integrands of the martingale checks are products and ratios of positive
// sums of Gaussian terms exp(c0 + c1 x + c2 x^2):
//   f(x) = K prod_i (sum_j exp n_ij(x)) / (sum_l exp d_l(x)).
// Every term of the denominator sum is positive, so dropping all but one, l*,
// only enlarges f: for every real x,
//   0 < f(x) <= K sum_{j_1, j_2, ...} exp(n_1j_1(x) + n_2j_2(x) + ... - d_l*(x)),
// and each exponent is again a quadratic, whose integral over a half-line is
// an erfc. l* is the denominator term that decays slowest (largest c2), which
// makes the envelope decay fastest; an exponent that does not decay (c2 >= 0)
// leaves the integral uncertified.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "arb_ball.hpp"
#include "certification.hpp"
#include "gdverify/theory/mixture_model.hpp"

namespace gdverify::checks::detail {

/// Arb's relative goal for the certified integrals: 166 bits, 50 digits, the
/// precision of the 50-digit estimates they replace.
inline constexpr long kCertifiedGoalBits = 166;

/// exp(c0 + c1 x + c2 x^2).
struct GaussianExponent {
  Ball c0, c1, c2;
};

/// log w + log N(x; m, v) as a GaussianExponent.
GaussianExponent gaussian_term(const Ball& log_weight, const Ball& mean, const Ball& variance);

/// The terms log w_k + log N(x; m_k, v_k) of a 1-D mixture (of class
/// `only_class` alone when it is >= 0).
std::vector<GaussianExponent> mixture_terms(const MixtureModel<Ball>& m, int only_class = -1);

/// The exponent of a function known to be a quadratic in x, read off from its
/// values at -1, 0 and 1 (exact for a quadratic; the enclosures carry over).
GaussianExponent quadratic_through(const std::function<Ball(const Ball&)>& q);

/// f and its envelope (see the file comment).
struct LineIntegrand {
  std::function<Ball(const Ball&)> f;                     ///< through the theory templates
  std::vector<std::vector<GaussianExponent>> numerators;  ///< the sums multiplied
  std::vector<GaussianExponent> denominator;              ///< the sum divided by (empty: none)
  Ball log_factor = Ball(0);                              ///< log K
  /// f may carry a factor (a + b x) beside the positive sums (a moment, such as
  /// the score's -(y - alpha x0) / sigma^2); then f changes sign and the tails
  /// are bounded in absolute value: |a + b x| <= |a + b m| + |b| |x - m|
  /// around each envelope term's centre m.
  bool has_linear_factor = false;
  Ball linear_a = Ball(1), linear_b = Ball(0);
};

struct CertifiedIntegral {
  bool ok = false;        ///< false: no enclosure (the reason is in `why`)
  Ball value;             ///< real ball containing integral_R f
  Ball interior;          ///< acb_calc_integrate's enclosure on [lo, hi]
  Ball tails;             ///< [0, bound] ([-bound, bound] with a linear factor), both tails together
  double lo = 0, hi = 0;  ///< the interior's interval
  long evaluations = 0;
  std::string why;
};

/// integral_R f, with the interior integrated to a relative goal of
/// 2^-goal_bits on [lo, hi], the hull of centre +- 20 sd over every Gaussian
/// term of f and of its envelope (beyond it the envelope's tails are below
/// e^-200 of its peak, and they are bounded, not neglected).
CertifiedIntegral certified_line_integral(const LineIntegrand& g, long goal_bits);

/// "Arb ball arithmetic ... on [lo, hi] ... tails": how `in` was enclosed.
std::string integral_method(const CertifiedIntegral& in);

/// Folds the enclosures of a check's residuals into its certificate: the first
/// enclosure that excludes 0 decides (excludes); a refusal (no enclosure)
/// decides too (too_wide, with the reason); otherwise the widest is kept and
/// the certificate is certified when it lies within the tolerance.
class ResidualDecider {
 public:
  explicit ResidualDecider(double tolerance) : tolerance_(tolerance) {}
  /// false once decided: stop adding.
  bool add(const Ball& residual, const Ball& lhs, const Ball& rhs, const std::string& quantity,
           const std::string& method, const std::string& where);
  bool refuse(const std::string& why);
  void count(long evaluations) { evaluations_ += evaluations; }
  Certificate result();

 private:
  void keep(const Ball& residual, const Ball& lhs, const Ball& rhs, const std::string& quantity,
            const std::string& method, const std::string& where);
  double tolerance_;
  double widest_ = -1;
  bool decided_ = false;
  long evaluations_ = 0;
  Certificate c_;
};

/// An end of a real ball printed to 20 significant digits, rounded outwards.
std::string printed_end(const Ball& x, bool upper_end);
/// The midpoint of a real ball to 50 significant digits.
std::string midpoint_text(const Ball& x);
/// The midpoint and radius of a real ball as doubles (radius rounded up).
double midpoint_of(const Ball& x);
double radius_of(const Ball& x);
/// The largest |value| a real ball admits, rounded up.
double magnitude_bound(const Ball& x);

}  // namespace gdverify::checks::detail
