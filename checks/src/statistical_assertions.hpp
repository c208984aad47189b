// The statistical assertions of the Monte Carlo checks, shared by the
// engine's checks (monte_carlo_checks.cpp) and the model assessment
// (model_assessment.cpp): intervals at level kStatisticalAlpha, the w = 0
// control every T1/T3 check must reproduce, and the closed-form decision on
// Var phi. Internal to the checks library.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include <limits>
#include "gdverify/checks/check.hpp"

#include "gdverify/numerics/monte_carlo_estimators.hpp"
#include "gdverify/numerics/statistical_level.hpp"
#include "gdverify/theory/forward_process.hpp"
#include "gdverify/theory/guidance_problem.hpp"

namespace gdverify::checks::detail {

using numerics::kStatisticalAlpha;

/// 8 significant digits.
std::string num(double v);
/// z = z(kStatisticalAlpha), two-sided.
double z_crit();
double seconds_since(std::chrono::steady_clock::time_point t0);
/// "mean [lower, upper]".
std::string interval(const numerics::MeanInterval& m);

/// Collects assertions; the check's residual is the number that failed.
class Assertions {
 public:
  void add(const std::string& what, bool pass, const std::string& detail) {
    ++count_;
    if (!pass) {
      ++failed_;
      if (first_failure_.empty()) first_failure_ = what + ": " + detail;
    }
    last_ = what + ": " + detail;
  }
  /// A precondition (a control against an exact value, a decidable variance):
  /// if it does not hold, no assertion counts and the verdict is inconclusive.
  void require(const std::string& what, bool holds, const std::string& detail) {
    if (!holds && unmet_.empty()) unmet_ = what + ": " + detail;
  }
  CheckResult finish(CheckResult r, double seconds) const {
    if (!unmet_.empty()) {
      r.residual = std::numeric_limits<double>::quiet_NaN();
      r.tolerance = 0;
      r.lhs = unmet_;
      r.rhs = "control not reproduced: the assertions are not evidence";
      r.scalar = "double";
      r.digits = 15;
      r.verdict = Verdict::inconclusive;
      r.seconds = seconds;
      r.details["reason"] = unmet_;
      r.details["assertions_not_counted"] =
          std::to_string(count_) + " (" + std::to_string(failed_) + " failed)";
      return r;
    }
    r.residual = failed_;
    r.tolerance = 0;
    r.lhs = failed_ ? first_failure_ : last_;
    r.rhs = std::to_string(count_) + " assertions at alpha = " + num(kStatisticalAlpha) + " each";
    r.scalar = "double";
    r.digits = 15;
    r.verdict = failed_ == 0 ? Verdict::pass : Verdict::fail;
    r.seconds = seconds;
    r.details["assertions"] = std::to_string(count_);
    r.details["failed_assertions"] = std::to_string(failed_);
    r.details["z"] = num(z_crit());
    return r;
  }

 private:
  int count_ = 0, failed_ = 0;
  std::string first_failure_, last_, unmet_;
};

/// The w = 0 control of every Monte Carlo T1/T3 check (docs/theory.md
/// section 2, L1a: E[phi_tau] = kappa under the exact unguided law). It must
/// reproduce kappa (the interval contains it), or the check is inconclusive
/// whatever its guided assertions say. A check whose guided assertions only
/// falsify (no significant rise; the scenario's checks, whose effect sizes are
/// unknown) must also resolve kappa (half-width below kappa): a wider interval
/// cannot tell kappa from 0 or 2 kappa, so no rise could be seen and a pass
/// would be empty. The built-in checks assert a resolved decrease (the guided
/// upper bound below kappa), which is evidence on its own interval.
enum class Falsifying { no, yes };

void require_control(Assertions& as, const std::string& where, const numerics::MeanInterval& m, double kappa,
                     long paths, Falsifying falsifying);

/// Whether Var phi is finite under the exact unguided law at every time
/// (decided in closed form); each time where it is not goes into r's details.
bool variance_finite_at(const GuidanceProblem<double>& problem, const ForwardProcess<double>& proc,
                        const std::vector<double>& times, CheckResult& r);

}  // namespace gdverify::checks::detail
