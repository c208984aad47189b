#include "gdverify/reports/convergence_report.hpp"

#include <algorithm>

#include "gdverify/convergence/mixture_weak_order.hpp"
#include "gdverify/convergence/monte_carlo_study.hpp"
#include "gdverify/convergence/quadrature_precision_study.hpp"
#include "gdverify/convergence/weak_error_study.hpp"
#include "gdverify/numerics/vocabulary.hpp"

namespace gdverify::reports {

std::vector<ProblemStudy> convergence_studies(const numerics::Scenario& sc, checks::Suite suite,
                                              const std::string& form, std::vector<std::string>& skipped) {
  namespace gn = gdverify::numerics;
  std::vector<ProblemStudy> out;
  const auto forms = gn::guidance_forms(sc.guidance_kind);
  auto wants = [&](const std::string& f) { return gn::asks_for(sc.guidance_kind, f); };
  const bool listed_ou = sc.lists(ScheduleKind::ou);
  const bool classes = sc.data_set.empty();
  if (suite != checks::Suite::built_in) {
    const bool one_gaussian = classes && sc.classes.size() == 1 && sc.classes[0].components.size() == 1;
    if (one_gaussian && wants("reward")) {
      const double w_max = *std::max_element(sc.guidance_scales.begin(), sc.guidance_scales.end());
      const auto problem =
          GuidanceProblem<Real50>::reward(sc.mixture<Real50>(), sc.gaussian_reward<Real50>());
      for (const auto& s : gn::names_of(sc.schedules))
        for (const gn::SamplerKind sampler : sc.samplers)
          out.push_back({"scenario", convergence::weak_error_study(sc, s, problem, "reward.scenario", sampler,
                                                                   w_max > 0 ? w_max : 1.0)});
    } else {
      skipped.push_back(
          "T2 on the scenario's exact Gaussian law: needs one Gaussian class and reward guidance");
    }
    // The scenario's largest w (T2's constant grows with w); w = 1 when it lists no w > 0.
    const double w_top = *std::max_element(sc.guidance_scales.begin(), sc.guidance_scales.end());
    const double w_study = w_top > 0 ? w_top : 1.0;
    if (classes && sc.dimension == 1 && listed_ou) {
      for (const auto& f : forms) {
        if (f == "cfg" && sc.classes.size() < 2) continue;
        for (const gn::SamplerKind sampler : sc.samplers)
          if (sampler != gn::SamplerKind::heun)
            out.push_back({"scenario", convergence::mixture_weak_error_study(sc, f, sampler, w_study)});
      }
      if (wants("cfg") && sc.classes.size() >= 2)
        out.push_back({"scenario", convergence::quadrature_precision_study(sc)});
    } else {
      skipped.push_back(
          "T2 on the scenario's exact discrete laws and L1a's quadrature precision: need a 1-D mixture "
          "given by classes and \"ou\" in schedule.names");
    }
  }
  if (suite != checks::Suite::scenario) {
    const std::string builtin_form = form == "cfg-pair" ? "cfg-pair" : "reward";
    for (const auto& s : gn::names_of(sc.schedules))
      for (const gn::SamplerKind sampler : sc.samplers)
        out.push_back({checks::built_in("gaussian-" + builtin_form + "-d1"),
                       convergence::weak_error_study(sc, s, builtin_form, sampler, 1.0)});
    out.push_back(
        {checks::built_in("gaussian-" + builtin_form + "-d1"),
         convergence::monte_carlo_error_study(sc, builtin_form, 1, gn::SamplerKind::euler_maruyama).study});
  }
  return out;
}

}  // namespace gdverify::reports
