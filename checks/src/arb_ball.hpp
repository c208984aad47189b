// A complex ball of Arb (acb_t) as a scalar type of the theory templates, so
// that an integrand is evaluated through the same formulas as the 50-digit
// check (MixtureMarginal, GuidedScore, log_sum_exp) on the complex balls that
// Arb's certified integration (acb_calc_integrate) asks for. The integrands are
// holomorphic extensions of real ones, so the type is a field with no
// conjugation: Eigen sees it as a real scalar (NumTraits::IsComplex = 0).
//
// What is not holomorphic is refused instead of approximated: abs, atan and
// the order comparisons are answered only for real balls (imaginary part
// exactly 0), == and != only when certain (acb_eq, acb_ne), and a comparison
// only when its answer is certain; otherwise they throw NotDecidable, which
// the integration turns into an indeterminate value (so a subinterval on which
// the integrand cannot be shown holomorphic is split or left uncertified, never
// integrated wrongly). log and sqrt are the principal branches with the branch
// cut refused (acb_log_analytic, acb_sqrt_analytic). docs/theory.md section 6.
#pragma once

#include <acb.h>
#include <arb.h>

#include <Eigen/Core>
#include <limits>
#include <stdexcept>
#include <string>
#include <type_traits>

#include "gdverify/theory/certainly.hpp"

namespace gdverify::checks {

/// Working precision of every Ball operation, in bits (about 60 digits).
inline constexpr slong kBallBits = 200;
/// The decimal digits those bits carry (floor(200 log10 2)).
inline constexpr int kBallDigits = static_cast<int>(kBallBits * 30103 / 100000);

namespace ball_detail {
inline thread_local slong working_bits = kBallBits;
}
/// The precision every Ball operation of this thread rounds to (kBallBits
/// unless a BallPrecision scope says otherwise).
inline slong ball_bits() { return ball_detail::working_bits; }

/// A scope in which this thread's Ball operations round to `bits` (a
/// validated ODE enclosure, whose widths are ~1e-3, needs no 200 bits; the
/// enclosures stay rigorous at any precision, only wider).
class BallPrecision {
 public:
  explicit BallPrecision(slong bits) : saved_(ball_detail::working_bits) { ball_detail::working_bits = bits; }
  ~BallPrecision() { ball_detail::working_bits = saved_; }
  BallPrecision(const BallPrecision&) = delete;
  BallPrecision& operator=(const BallPrecision&) = delete;

 private:
  slong saved_;
};

/// A comparison, abs or median that a ball cannot answer (overlap, or not real).
struct NotDecidable : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Ball {
 public:
  Ball() { acb_init(v_); }
  Ball(int x) : Ball() { acb_set_si(v_, x); }            // NOLINT: implicit, as for double
  Ball(long x) : Ball() { acb_set_si(v_, x); }           // NOLINT
  Ball(unsigned long x) : Ball() { acb_set_ui(v_, x); }  // NOLINT
  Ball(double x) : Ball() { acb_set_d(v_, x); }          // NOLINT: a double is exact
  explicit Ball(const acb_t x) : Ball() { acb_set(v_, x); }
  Ball(const Ball& o) : Ball() { acb_set(v_, o.v_); }
  Ball(Ball&& o) noexcept : Ball() { acb_swap(v_, o.v_); }
  Ball& operator=(const Ball& o) {
    if (this != &o) acb_set(v_, o.v_);
    return *this;
  }
  Ball& operator=(Ball&& o) noexcept {
    acb_swap(v_, o.v_);
    return *this;
  }
  ~Ball() { acb_clear(v_); }

  /// The decimal `s` enclosed (arb_set_str: a ball that contains it).
  static Ball from_string(const std::string& s) {
    Ball b;
    if (arb_set_str(acb_realref(b.v_), s.c_str(), ball_bits()) != 0)
      throw std::invalid_argument("Ball: not a number: " + s);
    return b;
  }
  /// The real ball [lo, hi] (lo <= hi).
  static Ball real_interval(double lo, double hi) {
    Ball b;
    arf_t a, c;
    arf_init(a);
    arf_init(c);
    arf_set_d(a, lo);
    arf_set_d(c, hi);
    arb_set_interval_arf(acb_realref(b.v_), a, c, ball_bits());
    arf_clear(a);
    arf_clear(c);
    return b;
  }

  acb_ptr get() { return v_; }
  acb_srcptr get() const { return v_; }
  [[nodiscard]] bool is_real() const { return acb_is_real(v_) != 0; }
  [[nodiscard]] bool is_finite() const { return acb_is_finite(v_) != 0; }

  Ball& operator+=(const Ball& o) {
    acb_add(v_, v_, o.v_, ball_bits());
    return *this;
  }
  Ball& operator-=(const Ball& o) {
    acb_sub(v_, v_, o.v_, ball_bits());
    return *this;
  }
  Ball& operator*=(const Ball& o) {
    acb_mul(v_, v_, o.v_, ball_bits());
    return *this;
  }
  Ball& operator/=(const Ball& o) {
    acb_div(v_, v_, o.v_, ball_bits());
    return *this;
  }

 private:
  acb_t v_;
};

inline Ball operator+(Ball a, const Ball& b) { return a += b; }
inline Ball operator-(Ball a, const Ball& b) { return a -= b; }
inline Ball operator*(Ball a, const Ball& b) { return a *= b; }
inline Ball operator/(Ball a, const Ball& b) { return a /= b; }
inline Ball operator-(Ball a) {
  acb_neg(a.get(), a.get());
  return a;
}
inline Ball operator+(const Ball& a) { return a; }

/// The real part of a real ball, or NotDecidable.
inline arb_srcptr real_of(const Ball& a, const char* what) {
  if (!a.is_real()) throw NotDecidable(std::string(what) + " of a non-real ball");
  return acb_realref(a.get());
}

// Comparisons: certain answers on real balls only (see the file comment).
inline bool operator<(const Ball& a, const Ball& b) {
  arb_srcptr x = real_of(a, "<"), y = real_of(b, "<");
  if (arb_lt(x, y)) return true;
  if (arb_ge(x, y)) return false;
  throw NotDecidable("< of overlapping balls");
}
inline bool operator>(const Ball& a, const Ball& b) { return b < a; }
inline bool operator<=(const Ball& a, const Ball& b) {
  arb_srcptr x = real_of(a, "<="), y = real_of(b, "<=");
  if (arb_le(x, y)) return true;
  if (arb_gt(x, y)) return false;
  throw NotDecidable("<= of overlapping balls");
}
inline bool operator>=(const Ball& a, const Ball& b) { return b <= a; }
inline bool operator==(const Ball& a, const Ball& b) {
  if (acb_eq(a.get(), b.get())) return true;
  if (acb_ne(a.get(), b.get())) return false;
  throw NotDecidable("== of overlapping balls");
}
inline bool operator!=(const Ball& a, const Ball& b) { return !(a == b); }

inline Ball exp(const Ball& a) {
  Ball r;
  acb_exp(r.get(), a.get(), ball_bits());
  return r;
}
inline Ball expm1(const Ball& a) {
  Ball r;
  acb_expm1(r.get(), a.get(), ball_bits());
  return r;
}
inline Ball log(const Ball& a) {
  Ball r;
  acb_log_analytic(r.get(), a.get(), 1, ball_bits());
  return r;
}
inline Ball sqrt(const Ball& a) {
  Ball r;
  acb_sqrt_analytic(r.get(), a.get(), 1, ball_bits());
  return r;
}
/// Real balls only: acb_atan has no analytic flag, so across its branch cuts
/// it would return finite values of a non-holomorphic function (it serves
/// pi = 4 atan(1), a constant).
inline Ball atan(const Ball& a) {
  Ball r;
  arb_atan(acb_realref(r.get()), real_of(a, "atan"), ball_bits());
  return r;
}
inline Ball abs(const Ball& a) {
  Ball r;
  arb_abs(acb_realref(r.get()), real_of(a, "abs"));
  return r;
}
inline bool isfinite(const Ball& a) { return a.is_finite(); }

/// The hull of two real balls (the smallest ball Arb forms around both).
inline Ball hull(const Ball& a, const Ball& b) {
  Ball r;
  arb_union(acb_realref(r.get()), real_of(a, "hull"), real_of(b, "hull"), ball_bits());
  return r;
}
/// Whether the real ball `outer` certainly contains the real ball `inner`.
inline bool contains(const Ball& outer, const Ball& inner) {
  return arb_contains(real_of(outer, "contains"), real_of(inner, "contains")) != 0;
}

// The interval vocabulary the theory's enclosure branches use (ADL).
/// The midpoint of the real part, as an exact real ball: the shift of
/// log_sum_exp, where any exact real will do (the identity holds for every
/// shift), so it is defined for complex balls too.
inline Ball median(const Ball& a) {
  Ball r;
  arb_get_mid_arb(acb_realref(r.get()), acb_realref(a.get()));
  return r;
}
inline Ball lower(const Ball& a) {
  arf_t e;
  arf_init(e);
  arb_get_lbound_arf(e, real_of(a, "lower"), ball_bits());
  Ball r;
  arb_set_arf(acb_realref(r.get()), e);
  arf_clear(e);
  return r;
}
inline Ball upper(const Ball& a) {
  arf_t e;
  arf_init(e);
  arb_get_ubound_arf(e, real_of(a, "upper"), ball_bits());
  Ball r;
  arb_set_arf(acb_realref(r.get()), e);
  arf_clear(e);
  return r;
}

}  // namespace gdverify::checks

template <>
struct gdverify::is_enclosure<gdverify::checks::Ball> : std::true_type {};

template <>
class std::numeric_limits<gdverify::checks::Ball> {
  using B = gdverify::checks::Ball;

 public:
  static constexpr bool is_specialized = true;
  static constexpr bool is_signed = true;
  static constexpr bool is_integer = false;
  static constexpr bool is_exact = false;
  static constexpr bool has_infinity = true;
  static constexpr bool has_quiet_NaN = false;
  static constexpr int digits = static_cast<int>(gdverify::checks::kBallBits);
  static constexpr int digits10 = static_cast<int>(gdverify::checks::kBallBits * 3 / 10);
  static constexpr int max_digits10 = digits10 + 2;
  static constexpr int radix = 2;
  /// 2^(1 - bits).
  static B epsilon() { return two_to(1 - gdverify::checks::kBallBits); }
  /// 2^(2^30): a finite bound far beyond any value of the checks.
  static B max() { return two_to(1L << 30); }
  static B lowest() { return -max(); }
  static B min() { return two_to(-(1L << 30)); }
  static B infinity() {
    B b;
    arb_pos_inf(acb_realref(b.get()));
    return b;
  }

 private:
  /// 2^e, exact.
  static B two_to(slong e) {
    B b;
    arb_one(acb_realref(b.get()));
    arb_mul_2exp_si(acb_realref(b.get()), acb_realref(b.get()), e);
    return b;
  }
};

template <>
struct Eigen::NumTraits<gdverify::checks::Ball> : Eigen::GenericNumTraits<gdverify::checks::Ball> {
  using Real = gdverify::checks::Ball;
  using NonInteger = gdverify::checks::Ball;
  using Literal = gdverify::checks::Ball;
  using Nested = gdverify::checks::Ball;
  enum {
    IsComplex = 0,
    IsInteger = 0,
    IsSigned = 1,
    RequireInitialization = 1,
    ReadCost = 2,
    AddCost = 20,
    MulCost = 40
  };
  static Real epsilon() { return std::numeric_limits<Real>::epsilon(); }
  static Real dummy_precision() { return std::numeric_limits<Real>::epsilon() * 1024; }
  static Real highest() { return std::numeric_limits<Real>::max(); }
  static Real lowest() { return std::numeric_limits<Real>::lowest(); }
  static int digits10() { return std::numeric_limits<Real>::digits10; }
};
