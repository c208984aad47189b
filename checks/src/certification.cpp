// Applying a certificate to a 50-digit verdict (certification.hpp).
#include "certification.hpp"

#include "arb_ball.hpp"

namespace gdverify::checks::detail {

void apply_certificate(CheckResult& r, const Certificate& c) {
  const std::string ends =
      c.enclosure.lower.empty() ? std::string() : "[" + c.enclosure.lower + ", " + c.enclosure.upper + "]";
  switch (c.outcome) {
    case Certification::certified:
      if (r.verdict == Verdict::pass) {
        r.verdict = Verdict::certified;
        r.enclosure = c.enclosure;
        r.details["largest |enclosure| at"] = c.where;
      } else {
        r.details["not certified"] =
            "the enclosure " + ends +
            " contains 0 (the statement's value) within the tolerance, but the 50-digit "
            "evaluation fails";
      }
      break;
    case Certification::excludes:
      r.verdict = Verdict::fail;
      r.enclosure = c.enclosure;
      r.details["enclosure excludes the statement at"] = c.where;
      break;
    case Certification::too_wide:
      r.details["not certified"] =
          ends.empty() ? c.why
                       : "the enclosure " + ends +
                             " contains 0 (the statement's value) but is wider than the tolerance, at " +
                             c.where + (c.why.empty() ? "" : " (" + c.why + ")");
      break;
  }
}

std::optional<CheckResult> Attempt::decided(const std::string& name, const std::string& description,
                                            double tolerance, double seconds) const {
  if (!decides()) return std::nullopt;
  return certified_result(name, description, *certificate, tolerance, seconds);
}

void Attempt::annotate(CheckResult& r) const {
  if (certificate)
    apply_certificate(r, *certificate);
  else
    r.details["not certified"] = stopped;
}

CheckResult certified_result(const std::string& name, const std::string& description, const Certificate& c,
                             double tolerance, double seconds) {
  CheckResult r;
  r.name = name;
  r.description = description;
  r.lhs = c.lhs;
  r.rhs = c.rhs;
  r.residual = c.residual;
  r.tolerance = tolerance;
  r.scalar = "arb-ball";
  r.digits = kBallDigits;
  r.seconds = seconds;
  r.verdict = c.outcome == Certification::certified ? Verdict::certified : Verdict::fail;
  r.enclosure = c.enclosure;
  r.details[c.outcome == Certification::certified ? "largest |enclosure| at"
                                                  : "enclosure excludes the statement at"] = c.where;
  r.quantities.push_back({"residual", QuantityKind::rounding, r.residual, 0, r.tolerance});
  return r;
}

}  // namespace gdverify::checks::detail
