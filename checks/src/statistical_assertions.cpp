// Shared statistical assertions (statistical_assertions.hpp).
#include "statistical_assertions.hpp"

#include "gdverify/numerics/format_significant.hpp"
#include "gdverify/numerics/statistical_level.hpp"

namespace gdverify::checks::detail {

using namespace gdverify::numerics;

std::string num(double v) { return format_significant(v, 8); }

double z_crit() { return two_sided_normal_quantile(kStatisticalAlpha); }

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

std::string interval(const MeanInterval& m) {
  return num(m.mean) + " [" + num(m.lower) + ", " + num(m.upper) + "]";
}

void require_control(Assertions& as, const std::string& where, const MeanInterval& m, double kappa,
                     long paths, Falsifying falsifying) {
  as.require("w = 0 control" + where, m.lower <= kappa && kappa <= m.upper,
             "E[phi] " + interval(m) + " excludes the exact kappa = " + num(kappa) +
                 ": the estimator does not resolve the mean at " + std::to_string(paths) +
                 " paths (the rare points that carry it are not reached) or the discretisation bias is "
                 "visible");
  if (falsifying == Falsifying::yes)
    as.require("w = 0 control must resolve kappa" + where, m.upper - m.mean < kappa,
               "E[phi] " + interval(m) + " has a half-width >= kappa = " + num(kappa) +
                   ": the estimator does not resolve the mean (heavy tail or too few paths), so a guided "
                   "rise could not be seen");
}

/// Whether Var phi is finite under the exact unguided law at every time
/// (decided in closed form); each time where it is not goes into r's details.
bool variance_finite_at(const GuidanceProblem<double>& problem, const ForwardProcess<double>& proc,
                        const std::vector<double>& times, CheckResult& r) {
  bool all_finite = true;
  for (double t : times) {
    const auto v = metric_variance_under_target(problem, proc, t);
    if (v.state != Finiteness::finite) {
      all_finite = false;
      r.details["Var phi (w = 0, t = " + num(t) + ")"] = finiteness_name(v.state) + ": " + v.reason;
    }
  }
  return all_finite;
}

}  // namespace gdverify::checks::detail
