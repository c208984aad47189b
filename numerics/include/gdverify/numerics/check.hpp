// A check is a first-class object: a name that starts with the THEORY.md
// statement it verifies (L1a, L1b, L1c, T1, T2, T3, R1, R2, CFG=R), a
// one-line description, and a function producing a CheckResult with both
// sides, the residual, the tolerance it was judged by and a verdict.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace gdverify::numerics {

/// pass: the statement held within its derived tolerance; fail: it did not
/// (or a control it needs disagreed with the exact value); inconclusive: the
/// computation cannot decide (e.g. non-finite paths, an unresolvable
/// estimator), with the reason in details["reason"]; error: the check could
/// not be computed (it threw), with the message in details["error"].
enum class Verdict { pass, fail, inconclusive, error };

inline const char* verdict_name(Verdict v) {
  switch (v) {
    case Verdict::pass: return "pass";
    case Verdict::fail: return "fail";
    case Verdict::inconclusive: return "inconclusive";
    case Verdict::error: return "error";
  }
  return "error";
}

struct CheckResult {
  std::string name;
  std::string description;
  std::string lhs;       ///< left side (worst case), full precision
  std::string rhs;       ///< right side (worst case), full precision
  double residual = 0;   ///< the dimensionless residual the verdict is based on
  double tolerance = 0;  ///< its bound
  std::string scalar;    ///< "double" or "mpfr50"
  int digits = 0;        ///< decimal digits of the scalar type
  double seconds = 0;    ///< wall time of the check
  Verdict verdict = Verdict::fail;
  std::map<std::string, std::string> details;  ///< further computed quantities
};

/// Deliberately wrong ingredients, for the sensitivity tests (every check
/// must be able to fail). All zero / false: the correct computation.
struct Perturbation {
  double score_error = 0;           ///< added to every entry of the target score s^r
  bool flip_guidance_sign = false;  ///< drift uses -w where the identity uses w
  bool ode_drift = false;           ///< the probability-flow drift in place of the SDE drift
  double schedule_error = 0;        ///< relative error in g^2 and in transition variances
  double prior_error = 0;           ///< relative error in the guided class's prior pi_c
};

struct Check {
  std::string name;
  std::string description;
  bool in_default = true;  ///< part of the default (fast) set
  std::function<CheckResult(const Perturbation&)> run;
};

/// Runs c: a check that throws gets the verdict `error` with its message
/// (never aborting a run); a non-finite residual makes an otherwise passing
/// verdict `error` too, since the number it rests on does not exist.
CheckResult run_check(const Check& c, const Perturbation& p = {});

/// Throws std::logic_error naming the first name that two checks share
/// (check names are keys in JSON, JUnit and compare).
void require_unique_names(const std::vector<Check>& checks);

/// v with `digits` significant digits (std::ostream's default float format),
/// for the human-readable sides and details of check results.
std::string format_significant(double v, int digits);

/// Shell-style glob: '*' any run, '?' one character.
bool glob_match(const std::string& pattern, const std::string& text);

/// The checks whose names match any of `patterns` (all when empty; only the
/// default set unless `full`). Throws std::invalid_argument naming every
/// pattern that matches no check, so a typo next to a valid pattern is not
/// silently ignored.
std::vector<Check> select_checks(const std::vector<Check>& all, const std::vector<std::string>& patterns,
                                 bool full);

}  // namespace gdverify::numerics
