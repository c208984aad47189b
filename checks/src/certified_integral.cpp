// Certified line integrals (certified_integral.hpp).
#include "certified_integral.hpp"

#include <acb_calc.h>
#include <arb_hypgeom.h>
#include <mpfr.h>

#include "gdverify/numerics/format_significant.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdlib>
#include <limits>
#include <string>

namespace gdverify::checks::detail {

namespace {

struct Callback {
  const std::function<Ball(const Ball&)>* f;
  long evaluations = 0;
};

/// acb_calc_integrate's integrand. Every operation of Ball is holomorphic or
/// refuses (NotDecidable), and log/sqrt refuse their branch cut, so the
/// holomorphy that `order` = 1 asks to be verified holds wherever the value
/// is finite; a refusal becomes an indeterminate value, which makes Arb split
/// the subinterval or give up on it (never integrate it wrongly).
int integrand(acb_ptr out, const acb_t in, void* param, slong /*order*/, slong /*prec*/) {
  auto* cb = static_cast<Callback*>(param);
  ++cb->evaluations;
  try {
    const Ball y = (*cb->f)(Ball(in));
    acb_set(out, y.get());
  } catch (...) {  // not decidable on this ball: no enclosure here
    acb_indeterminate(out);
  }
  return 0;
}

/// Upper bound of integral over R \ [lo, hi] of exp(c0 + c1 x + c2 x^2), c2 < 0:
/// with P = -c2, m = c1 / (2P), K = c0 + c1^2 / (4P),
///   (1/2) sqrt(pi / P) e^K [erfc(sqrt(P)(hi - m)) + erfc(sqrt(P)(m - lo))].
///
/// With a factor (a + b x), |a + b x| <= |a + b m| + |b| |x - m| adds
/// |b| e^K (e^{-P (hi - m)^2} + e^{-P (m - lo)^2}) / (2P), the integral of
/// |x - m| e^{K - P (x - m)^2} beyond the ends when m lies inside [lo, hi]
/// (else |b| e^K / P, its integral over the whole line).
Ball gaussian_tails(const GaussianExponent& q, const Ball& lo, const Ball& hi, const LineIntegrand& g) {
  const Ball p = -q.c2;
  const Ball m = q.c1 / (2 * p);
  const Ball k = q.c0 + q.c1 * q.c1 / (4 * p);
  const Ball sp = sqrt(p);
  Ball e_hi, e_lo, pi;
  arb_hypgeom_erfc(acb_realref(e_hi.get()), acb_realref((sp * (hi - m)).get()), kBallBits);
  arb_hypgeom_erfc(acb_realref(e_lo.get()), acb_realref((sp * (m - lo)).get()), kBallBits);
  arb_const_pi(acb_realref(pi.get()), kBallBits);
  const Ball gauss = sqrt(pi / p) * exp(k) * (e_hi + e_lo) / 2;
  if (!g.has_linear_factor) return gauss;
  const Ball at_m = abs(g.linear_a + g.linear_b * m), slope = abs(g.linear_b);
  const bool inside = arb_lt(acb_realref(lo.get()), acb_realref(m.get())) &&
                      arb_lt(acb_realref(m.get()), acb_realref(hi.get()));
  const Ball moment = inside
                          ? exp(k) * (exp(-p * (hi - m) * (hi - m)) + exp(-p * (m - lo) * (m - lo))) / (2 * p)
                          : exp(k) / p;
  return at_m * gauss + slope * moment;
}

}  // namespace

GaussianExponent gaussian_term(const Ball& log_weight, const Ball& mean, const Ball& variance) {
  Ball pi;
  arb_const_pi(acb_realref(pi.get()), kBallBits);
  // log w - log(2 pi v) / 2 - (x - m)^2 / (2 v)
  return {log_weight - log(2 * pi * variance) / 2 - mean * mean / (2 * variance), mean / variance,
          -1 / (2 * variance)};
}

std::vector<GaussianExponent> mixture_terms(const MixtureModel<Ball>& m, int only_class) {
  std::vector<GaussianExponent> out;
  for (const auto& k : m.components())
    if (only_class < 0 || k.label == only_class)
      out.push_back(gaussian_term(log(k.weight), k.mean(0), k.covariance(0, 0)));
  return out;
}

GaussianExponent quadratic_through(const std::function<Ball(const Ball&)>& q) {
  const Ball qm = q(Ball(-1)), q0 = q(Ball(0)), qp = q(Ball(1));
  return {q0, (qp - qm) / 2, (qp + qm) / 2 - q0};
}

namespace {

/// Widens [lo, hi] to centre +- 20 sd of exp(q) (a decaying quadratic), in
/// doubles: the interval need not be exact, only the integral on it.
void cover(const GaussianExponent& q, double& lo, double& hi) {
  const double c1 = midpoint_of(q.c1), c2 = midpoint_of(q.c2);
  if (!(c2 < 0)) return;
  const double m = -c1 / (2 * c2), sd = std::sqrt(-1 / (2 * c2));
  lo = std::min(lo, m - 20 * sd);
  hi = std::max(hi, m + 20 * sd);
}

}  // namespace

CertifiedIntegral certified_line_integral(const LineIntegrand& g, long goal_bits) {
  CertifiedIntegral out;
  // The envelope: every product of one term per numerator sum, over the
  // slowest-decaying denominator term.
  const GaussianExponent* dstar = nullptr;
  for (const auto& d : g.denominator) {
    if (!d.c2.is_real()) continue;
    if (dstar == nullptr || arb_gt(acb_realref(d.c2.get()), acb_realref(dstar->c2.get()))) dstar = &d;
  }
  if (!g.denominator.empty() && dstar == nullptr) {
    out.why = "no denominator term of the envelope is a real quadratic";
    return out;
  }
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (const auto& n : g.numerators) {
    if (n.empty()) {
      out.why = "an empty numerator sum";
      return out;
    }
    for (const auto& t : n) cover(t, lo, hi);
  }
  for (const auto& d : g.denominator) cover(d, lo, hi);
  // The envelope's terms, one per choice of a term from each numerator sum.
  std::vector<GaussianExponent> envelope;
  std::vector<std::size_t> idx(g.numerators.size(), 0);
  while (true) {
    GaussianExponent q{g.log_factor, Ball(0), Ball(0)};
    for (std::size_t i = 0; i < idx.size(); ++i) {
      const auto& t = g.numerators[i][idx[i]];
      q.c0 += t.c0;
      q.c1 += t.c1;
      q.c2 += t.c2;
    }
    if (dstar != nullptr) {
      q.c0 -= dstar->c0;
      q.c1 -= dstar->c1;
      q.c2 -= dstar->c2;
    }
    if (!q.c0.is_real() || !q.c1.is_real() || !q.c2.is_real() || !arb_is_negative(acb_realref(q.c2.get()))) {
      out.why = "the Gaussian envelope of the integrand does not decay (a term with x^2 coefficient >= 0)";
      return out;
    }
    cover(q, lo, hi);
    envelope.push_back(std::move(q));
    std::size_t i = 0;
    while (i < idx.size() && ++idx[i] == g.numerators[i].size()) idx[i++] = 0;
    if (i == idx.size()) break;
  }
  if (!(lo < hi)) {
    out.why = "no interval to integrate on";
    return out;
  }
  out.lo = lo;
  out.hi = hi;
  const Ball lo_b(lo), hi_b(hi);
  Ball tails(0);
  for (const auto& q : envelope) tails += gaussian_tails(q, lo_b, hi_b, g);
  if (!tails.is_finite()) {
    out.why = "the tail bound is not finite";
    return out;
  }
  // [0, upper bound]: the integrand is positive ([-bound, bound] with a
  // linear factor, which may change its sign).
  {
    arf_t ub, lb;
    arf_init(ub);
    arf_init(lb);
    arb_get_ubound_arf(ub, acb_realref(tails.get()), kBallBits);
    if (g.has_linear_factor) arf_neg(lb, ub);
    Ball t;
    arb_set_interval_arf(acb_realref(t.get()), lb, ub, kBallBits);
    arf_clear(ub);
    arf_clear(lb);
    out.tails = t;
  }

  Callback cb{&g.f};
  acb_calc_integrate_opt_t opt;
  acb_calc_integrate_opt_init(opt);
  mag_t abs_tol;
  mag_init(abs_tol);
  mag_set_ui_2exp_si(abs_tol, 1, -goal_bits);
  if (const char* v = std::getenv("GDV_ARB_VERBOSE")) opt->verbose = std::atoi(v);
  Ball interior;
  const int status = acb_calc_integrate(interior.get(), integrand, &cb, lo_b.get(), hi_b.get(), goal_bits,
                                        abs_tol, opt, kBallBits);
  mag_clear(abs_tol);
  out.evaluations = cb.evaluations;
  if (status != ARB_CALC_SUCCESS || !interior.is_finite()) {
    out.why = "Arb's integration did not reach its goal (2^-" + std::to_string(goal_bits) +
              ") within its evaluation limit on [" + numerics::format_significant(lo, 6) + ", " +
              numerics::format_significant(hi, 6) + "]";
    return out;
  }
  Ball re;
  arb_set(acb_realref(re.get()), acb_realref(interior.get()));
  out.interior = re;
  out.value = re + out.tails;
  out.ok = true;
  return out;
}

std::string printed_end(const Ball& x, bool upper_end) {
  arf_t e;
  arf_init(e);
  if (upper_end)
    arb_get_ubound_arf(e, acb_realref(x.get()), kBallBits);
  else
    arb_get_lbound_arf(e, acb_realref(x.get()), kBallBits);
  mpfr_t m;
  mpfr_init2(m, kBallBits);
  arf_get_mpfr(m, e, upper_end ? MPFR_RNDU : MPFR_RNDD);
  char buf[64];
  mpfr_snprintf(buf, sizeof buf, upper_end ? "%.19RUe" : "%.19RDe", m);
  mpfr_clear(m);
  arf_clear(e);
  return buf;
}

std::string midpoint_text(const Ball& x) {
  char* str = arb_get_str(acb_realref(x.get()), 50, ARB_STR_NO_RADIUS);
  std::string out(str);
  flint_free(str);
  return out;
}

double midpoint_of(const Ball& x) { return arf_get_d(arb_midref(acb_realref(x.get())), ARF_RND_NEAR); }

double radius_of(const Ball& x) { return mag_get_d(arb_radref(acb_realref(x.get()))); }

double magnitude_bound(const Ball& x) {
  arf_t u;
  arf_init(u);
  arb_get_abs_ubound_arf(u, acb_realref(x.get()), kBallBits);
  const double d = arf_get_d(u, ARF_RND_UP);
  arf_clear(u);
  return d;
}

std::string integral_method(const CertifiedIntegral& in) {
  return "Arb ball arithmetic (" + std::to_string(kBallBits) +
         " bits) through the theory templates: acb_calc_integrate on [" +
         numerics::format_significant(in.lo, 6) + ", " + numerics::format_significant(in.hi, 6) +
         "] (goal 2^-" + std::to_string(kCertifiedGoalBits) +
         ") plus a Gaussian-envelope bound of both tails";
}

bool ResidualDecider::refuse(const std::string& why) {
  c_ = Certificate{};
  c_.outcome = Certification::too_wide;
  c_.why = why;
  decided_ = true;
  return false;
}

bool ResidualDecider::add(const Ball& residual, const Ball& lhs, const Ball& rhs, const std::string& quantity,
                          const std::string& method, const std::string& where) {
  if (!residual.is_real() || !residual.is_finite())
    return refuse("no finite real enclosure of " + quantity + ", at " + where);
  if (!arb_contains_zero(acb_realref(residual.get()))) {
    c_.outcome = Certification::excludes;
    keep(residual, lhs, rhs, quantity, method, where);
    decided_ = true;
    return false;
  }
  const double b = magnitude_bound(residual);
  if (b > widest_) {
    widest_ = b;
    keep(residual, lhs, rhs, quantity, method, where);
  }
  return true;
}

void ResidualDecider::keep(const Ball& residual, const Ball& lhs, const Ball& rhs,
                           const std::string& quantity, const std::string& method, const std::string& where) {
  Enclosure e;
  e.quantity = quantity;
  e.lower = printed_end(residual, false);
  e.upper = printed_end(residual, true);
  e.midpoint = midpoint_of(residual);
  e.radius = radius_of(residual);
  e.method = method;
  c_.enclosure = e;
  c_.where = where;
  c_.lhs = midpoint_text(lhs);
  c_.rhs = midpoint_text(rhs);
  c_.residual = std::abs(midpoint_of(residual));
}

Certificate ResidualDecider::result() {
  // Certified only when some residual was enclosed and the widest lies within the tolerance.
  if (!decided_)
    c_.outcome = widest_ >= 0 && widest_ <= tolerance_ ? Certification::certified : Certification::too_wide;
  if (!c_.enclosure.method.empty())
    c_.enclosure.method += "; " + std::to_string(evaluations_) + " integrand evaluations in all";
  return c_;
}

}  // namespace gdverify::checks::detail
