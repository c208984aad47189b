#include "gdverify/checks/order_verdict.hpp"

#include <cmath>

namespace gdverify::checks {

using convergence::OrderFit;

namespace {
std::string fmt(double v) { return numerics::format_significant(v, 6); }
}  // namespace

CheckResult order_verdict(const std::string& name, const std::string& description, const OrderFit& fit,
                          const std::string& range, const std::string& scalar, int digits, double expected) {
  CheckResult r;
  r.name = name;
  r.description = description;
  r.lhs = fmt(fit.order);
  r.rhs = fmt(expected);
  r.residual = std::abs(fit.order - expected);
  r.tolerance = kOrderTolerance;
  r.scalar = scalar;
  r.digits = digits;
  r.verdict = r.residual <= r.tolerance ? Verdict::pass : Verdict::fail;
  r.details["order_95ci"] = "[" + fmt(fit.lower) + ", " + fmt(fit.upper) + "] over " + range;
  r.quantities.push_back({"order", QuantityKind::deterministic, fit.order, 0, 0});
  return r;
}

}  // namespace gdverify::checks
