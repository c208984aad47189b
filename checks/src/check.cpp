#include "gdverify/checks/check.hpp"

#include <chrono>
#include <cmath>
#include <iomanip>
#include <limits>
#include <set>
#include <sstream>
#include <stdexcept>

namespace gdverify::checks {

using namespace gdverify::numerics;

bool glob_match(const std::string& pattern, const std::string& text) {
  // iterative matcher with backtracking to the last '*'
  std::size_t p = 0, t = 0, star = std::string::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (star != std::string::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

std::vector<Check> select_checks(const std::vector<Check>& all, const std::vector<std::string>& patterns,
                                 bool full) {
  std::vector<Check> out;
  std::vector<bool> used(patterns.size(), false);
  for (const auto& c : all) {
    bool hit = patterns.empty() && (full || c.in_default);
    for (std::size_t i = 0; i < patterns.size(); ++i)
      if (glob_match(patterns[i], c.name)) {
        // A glob reaches full-set checks only with `full`; an exact name always does.
        const bool exact = patterns[i] == c.name;
        used[i] = true;
        hit = hit || exact || full || c.in_default;
      }
    if (hit) out.push_back(c);
  }
  std::string unmatched;
  for (std::size_t i = 0; i < patterns.size(); ++i)
    if (!used[i]) unmatched += (unmatched.empty() ? "'" : ", '") + patterns[i] + "'";
  if (!unmatched.empty())
    throw std::invalid_argument("no check matches " + unmatched + " (see `gdverify check --list --full`)");
  return out;
}

namespace {

/// The result of a check that could not be computed.
CheckResult error_result(const Check& c, const std::string& message) {
  CheckResult r;
  r.name = c.name;
  r.description = c.description;
  r.verdict = Verdict::error;
  r.residual = std::numeric_limits<double>::quiet_NaN();
  r.tolerance = std::numeric_limits<double>::quiet_NaN();
  r.details["error"] = message;
  return r;
}

}  // namespace

const char* quantity_kind_name(QuantityKind k) {
  switch (k) {
    case QuantityKind::statistical: return "statistical";
    case QuantityKind::deterministic: return "deterministic";
    case QuantityKind::rounding: return "rounding";
  }
  return "deterministic";
}

CheckResult inconclusive_result(const std::string& name, const std::string& description,
                                const std::string& reason, const std::string& scalar, int digits,
                                double seconds) {
  CheckResult r;
  r.name = name;
  r.description = description;
  r.verdict = Verdict::inconclusive;
  r.residual = std::numeric_limits<double>::quiet_NaN();
  r.scalar = scalar;
  r.digits = digits;
  r.details["reason"] = reason;
  r.lhs = reason;
  r.seconds = seconds;
  return r;
}

CheckResult run_check(const Check& c, const Perturbation& p) {
  const auto start = std::chrono::steady_clock::now();
  CheckResult r;
  try {
    r = c.run(p);
  } catch (const std::exception& e) {
    r = error_result(c, e.what());
  } catch (...) {
    r = error_result(c, "unknown exception");
  }
  r.problem = c.problem;
  if (r.name.empty()) r.name = c.name;
  if (holds(r.verdict) && !std::isfinite(r.residual)) {
    r.verdict = Verdict::error;
    r.details["error"] = "the residual is not finite (" + format_significant(r.residual, 3) + ")";
  }
  if (r.quantities.empty() && r.verdict != Verdict::error)
    r.quantities.push_back({"residual", QuantityKind::deterministic, r.residual, 0, 0});
  if (r.seconds == 0)
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return r;
}

void require_unique_names(const std::vector<Check>& checks) {
  std::set<std::string> seen;
  for (const auto& c : checks)
    if (!seen.insert(c.name).second) throw std::logic_error("two checks are named " + c.name);
}

}  // namespace gdverify::checks
