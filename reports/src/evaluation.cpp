#include "gdverify/reports/evaluation.hpp"

#include <cmath>

#include "gdverify/numerics/format_significant.hpp"
#include "gdverify/numerics/monte_carlo_engine.hpp"
#include "gdverify/numerics/monte_carlo_estimators.hpp"
#include "gdverify/numerics/ode_characteristics.hpp"
#include "gdverify/numerics/scenario_monte_carlo.hpp"
#include "gdverify/numerics/vocabulary.hpp"

namespace gdverify::reports {
namespace {

namespace gn = gdverify::numerics;

/// An estimate over no finite path is reported as "nan" (a string: JSON has
/// no NaN), never as the 0 of an empty sum.
nlohmann::json number(double v) {
  if (std::isfinite(v)) return v;
  return std::isnan(v) ? "nan" : (v > 0 ? "inf" : "-inf");
}

nlohmann::json interval(const gn::RunningMoments& m, double z) {
  const auto e = gn::mean_interval(m, z);
  return {{"mean", number(e.mean)},
          {"std_error", number(e.std_error)},
          {"lower", number(e.lower)},
          {"upper", number(e.upper)},
          {"finite_paths", m.n}};
}

/// One engine run per sampler on (schedule, form): rows keyed by w.
nlohmann::json evaluate_form(const gn::Scenario& sc, const std::string& schedule, const std::string& form,
                             long paths, double z) {
  const auto proc = sc.process<double>(schedule);
  const auto problem = gn::scenario_guidance_problem(sc, form);
  const double kappa = std::exp(problem.log_metric_scale());
  const bool exact_start = sc.start == gn::StartLaw::exact;
  const auto v0 = gn::metric_variance_under_target(problem, proc, sc.early_stop);
  nlohmann::json out{
      {"kappa", kappa},
      {"var_phi_exact_unguided_law", {{"decision", gn::finiteness_name(v0.state)}, {"reason", v0.reason}}}};
  nlohmann::json samplers = nlohmann::json::object();
  for (const gn::SamplerKind sampler : sc.samplers) {
    const auto spec = gn::scenario_monte_carlo_spec(sc, schedule, sampler);
    const auto sums = gn::MonteCarloEngine(problem, proc, spec).run(paths);
    const std::size_t last = sums.checkpoints.size() - 1;
    nlohmann::json by_w = nlohmann::json::object();
    for (std::size_t iw = 0; iw < sums.guidance_scales.size(); ++iw) {
      const double w = sums.guidance_scales[iw];
      const auto& st = sums.at(iw, last);
      const auto cp = gn::clopper_pearson(st.improved, st.phi.n + st.nonfinite, 0.05);
      // A normal-theory interval for E[phi] only where Var phi is decided finite: under the
      // exact unguided law (w = 0, exact start) in closed form; a guided law of a mixture has
      // no closed form, so its Var phi is undecided and only the estimate is printed.
      const bool var_finite = w == 0 && exact_start && v0.state == gn::Finiteness::finite;
      auto e_phi = interval(st.phi, z);
      if (!var_finite) {
        e_phi.erase("std_error");
        e_phi.erase("lower");
        e_phi.erase("upper");
        e_phi["interval"] =
            w == 0 && exact_start
                ? "none: Var phi is " + gn::finiteness_name(v0.state) + " under the exact unguided law"
                : "none: Var phi of this law is not decided (no closed form), so a normal-theory "
                  "interval would not be valid";
      }
      nlohmann::json row{{"E_phi", e_phi},
                         {"E_log_phi", interval(st.log_phi, z)},
                         {"E_phi_minus_phi0_coupled", interval(st.diff_w0, z)},
                         {"improved_fraction",
                          {{"estimate", cp.estimate},
                           {"lower", cp.lower},
                           {"upper", cp.upper},
                           {"method", "Clopper-Pearson"}}},
                         {"nonfinite_paths", st.nonfinite}};
      if (var_finite && !std::isfinite(gn::mean_interval(st.phi, z).std_error))
        row["warning"] =
            "the sample variance of phi overflows double although Var phi is finite: a few "
            "paths carry astronomically large phi, and the interval is not informative at " +
            std::to_string(paths) + " paths";
      if (st.nonfinite > 0 || !std::isfinite(gn::mean_interval(st.phi, z).mean))
        row["warning"] = gn::format_significant(st.nonfinite, 17) + " of " + std::to_string(paths) +
                         " paths ended with a non-finite log phi, and phi overflows double on others: the "
                         "sampler diverges at this w, and E_phi does not estimate E[phi]";
      if (exact_start) {
        // phi > 0, so a non-positive kappa + difference is no estimate of E[phi]:
        // the coupled difference's mean is not resolved by these paths.
        const double controlled = kappa + st.diff_w0.mean;
        row["E_phi_controlled"] =
            controlled > 0 ? number(controlled)
                           : nlohmann::json("unresolved: kappa + coupled difference = " +
                                            gn::format_significant(controlled, 6) +
                                            " <= 0 (the difference's mean is not resolved by these paths)");
      }
      by_w["w=" + gn::format_significant(w, 17)] = row;
    }
    samplers[gn::sampler_name(sampler)] = by_w;
  }
  out["samplers"] = samplers;
  return out;
}

}  // namespace

nlohmann::json evaluate_scenario(const numerics::Scenario& sc, long paths_override) {
  const long paths = paths_override > 0 ? paths_override : sc.paths;
  const double z = gn::two_sided_normal_quantile(0.05);
  nlohmann::json out{{"scenario", sc.name},
                     {"start", gn::start_law_name(sc.start)},
                     {"paths", paths},
                     {"steps", *std::max_element(sc.steps.begin(), sc.steps.end())},
                     {"seed", sc.seed},
                     {"early_stop", sc.early_stop},
                     {"host_kernel", gn::host_instruction_set_name(
                                         gn::resolve_host_instruction_set(gn::HostInstructionSet::best))},
                     {"confidence", 0.95}};
  nlohmann::json runs = nlohmann::json::object(), not_run = nlohmann::json::array();
  const bool two_classes = !sc.data_set.empty() || sc.classes.size() >= 2;
  for (const auto& schedule : gn::names_of(sc.schedules))
    for (const auto& form : gn::guidance_forms(sc.guidance_kind)) {
      if (form == "cfg" && !two_classes) {
        not_run.push_back(schedule + ".cfg: CFG needs at least two classes; the scenario has one");
        continue;
      }
      nlohmann::json r = evaluate_form(sc, schedule, form, paths, z);
      r["guidance"] = form == "cfg" ? "cfg towards class " + std::to_string(sc.guided_class) : "reward";
      r["schedule"] = schedule + " from t = " + gn::format_significant(sc.t_max(schedule), 10) +
                      " to delta = " + gn::format_significant(sc.t_min(), 10);
      runs[schedule + "." + form] = r;
    }
  out["monte_carlo"] = runs;
  if (!not_run.empty()) out["not_run"] = not_run;
  out["notes"] = {
      "monte_carlo is keyed by <schedule>.<form>, then sampler, then w",
      "E_phi intervals are normal-theory and meaningful only where Var phi is finite: decided in closed form "
      "for the exact unguided law (var_phi_exact_unguided_law); guided laws of mixtures get no decision",
      "E_phi_controlled = kappa (E[phi] of the exact continuous unguided process) + the coupled difference; "
      "it carries the discrete sampler's w = 0 bias",
      "improved_fraction = P(p(c|Y^w) >= p(c|Y^0)) on coupled paths (same start and noise)"};
  const bool ou_cfg = sc.lists(ScheduleKind::ou) && gn::asks_for(sc.guidance_kind, "cfg") && two_classes;
  if (sc.dimension == 1 && sc.data_set.empty() && ou_cfg) {
    const auto problem = gn::scenario_guidance_problem(sc, "cfg");
    const gn::OdeCharacteristics oc(problem, sc.process<double>("ou"), sc.ou_horizon, sc.early_stop, 400);
    nlohmann::json e = nlohmann::json::object(), f = nlohmann::json::object();
    for (double w : sc.guidance_scales) {
      const std::string key = "w=" + gn::format_significant(w, 17);
      e[key] = number(oc.expected_metric(w));
      f[key] = number(1 - oc.run(w).degraded_probability);
    }
    out["deterministic_ode"] = {{"sampler", "probability-flow ODE, CFG, ou, RK4 400 steps, exact start"},
                                {"E_reciprocal_classifier_probability_by_w", e},
                                {"improved_fraction_by_w", f}};
  }
  return out;
}

}  // namespace gdverify::reports
