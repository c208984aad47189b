// The outcome of an enclosure and how it turns a 50-digit verdict into a
// certified one (docs/theory.md section 6, "Certified verdicts"), shared by the
// interval generator identities and the Arb line integrals.
#pragma once

#include <exception>
#include <optional>
#include <string>

#include "gdverify/checks/check.hpp"

namespace gdverify::checks::detail {

enum class Certification {
  certified,  ///< every enclosure contains the statement's value and lies within the tolerance
  excludes,   ///< some enclosure excludes it: the computed statement is false there
  too_wide    ///< every enclosure contains it, but one is wider than the tolerance (or none was found)
};

struct Certificate {
  Certification outcome = Certification::too_wide;
  Enclosure enclosure;  ///< the deciding enclosure (widest, or the first that excludes)
  std::string where;    ///< the point, time or draw it belongs to
  std::string why;      ///< for too_wide without an enclosure: the reason none was found
  // The deciding point's two sides (midpoints, 50 digits) and the midpoint of
  // its residual, for checks whose result the enclosure alone makes.
  std::string lhs, rhs;
  double residual = -1;
};

/// A certified evaluation tried before the estimate: when its enclosure
/// decides (certified, or a fail whose enclosure excludes the statement) it is
/// the check's whole result (certified_result) and the estimate does not run;
/// otherwise the estimate runs and stands, and annotate says why it is not
/// certified.
struct Attempt {
  std::optional<Certificate> certificate;
  std::string stopped;  ///< why there is none
  [[nodiscard]] bool decides() const {
    return certificate && certificate->outcome != Certification::too_wide;
  }
  /// The check's whole result when the enclosure decides (certified_result), else nothing.
  [[nodiscard]] std::optional<CheckResult> decided(const std::string& name, const std::string& description,
                                                   double tolerance, double seconds) const;
  void annotate(CheckResult& r) const;
};

template <class Certify>
Attempt attempt(Certify&& run) {
  Attempt a;
  try {
    a.certificate = run();
  } catch (const std::exception& e) {  // an input check of the ball path refused; the estimate runs
    a.stopped = std::string("the ball evaluation stopped: ") + e.what();
  }
  return a;
}

/// Applies `c` to the estimate `r`: only a passing estimate is upgraded to
/// certified (a 50-digit fail is a fault of that evaluation, which an
/// enclosure computed apart cannot clear); an enclosure that excludes the
/// statement makes `r` a fail with the enclosure as its evidence; otherwise
/// the estimate stands and details say why it is not certified.
void apply_certificate(CheckResult& r, const Certificate& c);

/// The whole result of a check that the enclosure decides (certified, or a
/// fail whose enclosure excludes the statement), with no estimate run beside
/// it: sides and residual from the deciding point's midpoints, the scalar
/// "arb-ball" with its working digits.
CheckResult certified_result(const std::string& name, const std::string& description, const Certificate& c,
                             double tolerance, double seconds);

}  // namespace gdverify::checks::detail
