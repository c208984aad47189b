// A check is a first-class object: a name that starts with the THEORY.md
// statement it verifies (L1a, L1b, L1c, T1, T2, T3, R1, R2, CFG=R), a
// one-line description, and a function producing a CheckResult with both
// sides, the residual, the tolerance it was judged by and a verdict.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "gdverify/numerics/format_significant.hpp"

namespace gdverify::checks {

using numerics::format_significant;

/// certified: the statement was proved for this problem: a rigorous
/// enclosure of its residual (interval arithmetic with outward rounding,
/// CheckResult::enclosure) contains the exact value and lies within the
/// tolerance; pass: the statement held within its derived tolerance, as an
/// estimate; fail: it did not (or a control it needs disagreed with the exact
/// value; or an enclosure excludes the exact value, the enclosure being the
/// evidence); inconclusive: the computation cannot decide (e.g. non-finite
/// paths, an unresolvable estimator), with the reason in details["reason"];
/// error: the check could not be computed (it threw), with the message in
/// details["error"].
enum class Verdict { pass, fail, inconclusive, error, certified };

inline const char* verdict_name(Verdict v) {
  switch (v) {
    case Verdict::pass: return "pass";
    case Verdict::fail: return "fail";
    case Verdict::inconclusive: return "inconclusive";
    case Verdict::error: return "error";
    case Verdict::certified: return "certified";
  }
  return "error";
}

/// Whether the statement held: pass, or the stronger certified.
inline bool holds(Verdict v) { return v == Verdict::pass || v == Verdict::certified; }

/// A rigorous enclosure [lower, upper] of the number a verdict rests on,
/// computed with outward rounding, so that it contains the exact value.
struct Enclosure {
  std::string quantity;      ///< what is enclosed, e.g. "(lhs - rhs) / magnitude, worst point"
  std::string lower, upper;  ///< the ends, rounded outwards, full precision
  double midpoint = 0;       ///< (lower + upper) / 2, rounded to double (for tables)
  double radius = 0;         ///< (upper - lower) / 2, rounded up to double
  std::string method;        ///< how it was computed (arithmetic, precision, what was enclosed)
};

/// How `compare` judges a change of a published quantity between two runs.
enum class QuantityKind {
  statistical,    ///< an estimate with a standard error: a z-test on both standard errors
  deterministic,  ///< an exact or converged number: a relative tolerance (--rtol, --atol)
  rounding        ///< a residual at rounding level: a change within its own scale is noise
};

const char* quantity_kind_name(QuantityKind k);

/// A number a check publishes for regression comparison (JSON "quantities").
struct Quantity {
  std::string name;
  QuantityKind kind = QuantityKind::deterministic;
  double value = 0;
  double std_error = 0;  ///< statistical: the estimate's standard error
  double scale = 0;      ///< rounding: |value| <= scale is rounding noise (the check's tolerance)
};

struct CheckResult {
  std::string name;
  std::string description;
  std::string lhs;                   ///< left side (worst case), full precision
  std::string rhs;                   ///< right side (worst case), full precision
  double residual = 0;               ///< the dimensionless residual the verdict is based on
  double tolerance = 0;              ///< its bound
  std::string scalar;                ///< "double" or "mpfr50"
  int digits = 0;                    ///< decimal digits of the scalar type
  double seconds = 0;                ///< wall time of the check
  std::string problem = "scenario";  ///< the problem it ran on (Check::problem)
  Verdict verdict = Verdict::fail;
  std::map<std::string, std::string> details;  ///< further computed quantities, as text
  /// The rigorous enclosure behind a certified verdict, or behind a fail whose
  /// enclosure excludes the statement's exact value; empty for estimates.
  std::optional<Enclosure> enclosure;
  /// Typed numbers for `compare`; run_check adds the residual when a check publishes none.
  std::vector<Quantity> quantities;
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

/// What a check needs from the scenario before it can run (the registry,
/// checks/registry.hpp, compares this with the scenario and prints the first
/// need that is not met). Empty strings and false: no such need.
struct Needs {
  bool classes = false;          ///< a mixture given by classes (not a data set)
  bool one_dimensional = false;  ///< d = 1 and given by classes (quadrature, Fokker-Planck, discrete laws)
  bool gaussian_data = false;    ///< the data law one Gaussian: one class of one component (exact laws)
  int max_dimension = 0;         ///< d at most this (50-digit pointwise evaluation); 0: any
  std::string form;              ///< the guidance it checks: "cfg" or "reward" (guidance.kind)
  std::string schedule;          ///< the schedule it runs on (schedule.names)
  std::string sampler;           ///< the sampler it checks (samplers.names)
  bool positive_scale = false;   ///< some w > 0 among guidance.scales
  bool exact_start = false;      ///< monte_carlo.start = "exact" (the control E[phi_0] = kappa)
};

/// The needs of a check of `form` on `schedule` with `sampler` ("" for none).
inline Needs needs_of(std::string form, std::string schedule, std::string sampler = "") {
  Needs n;
  n.form = std::move(form);
  n.schedule = std::move(schedule);
  n.sampler = std::move(sampler);
  return n;
}

/// The problem a built-in check runs on: "built-in:<name>".
inline std::string built_in(const std::string& name) { return "built-in:" + name; }

struct Check {
  std::string name;
  std::string description;
  bool in_default = true;  ///< part of the default (fast) set
  std::function<CheckResult(const Perturbation&)> run;
  /// "scenario" (the user's problem) or "built-in:<name>" (a benchmark problem of gdverify's).
  std::string problem = "scenario";
  Needs needs;
};

/// Runs c: a check that throws gets the verdict `error` with its message
/// (never aborting a run); a non-finite residual makes an otherwise passing
/// verdict `error` too, since the number it rests on does not exist.
CheckResult run_check(const Check& c, const Perturbation& p = {});

/// A result that cannot decide: verdict inconclusive, residual NaN, and
/// `reason` in details["reason"] and as the left side (the table prints it).
CheckResult inconclusive_result(const std::string& name, const std::string& description,
                                const std::string& reason, const std::string& scalar, int digits,
                                double seconds);

/// Throws std::logic_error naming the first name that two checks share
/// (check names are keys in JSON, JUnit and compare).
void require_unique_names(const std::vector<Check>& checks);

/// Shell-style glob: '*' any run, '?' one character.
bool glob_match(const std::string& pattern, const std::string& text);

/// The checks whose names match any of `patterns` (all when empty). Without
/// `full`, the empty selection and every glob take default-set checks only;
/// a pattern equal to a check's name takes it whatever its set. Throws
/// std::invalid_argument naming every pattern that matches no check, so a
/// typo next to a valid pattern is not silently ignored.
std::vector<Check> select_checks(const std::vector<Check>& all, const std::vector<std::string>& patterns,
                                 bool full);

}  // namespace gdverify::checks
