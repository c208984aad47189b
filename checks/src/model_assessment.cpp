// The model assessment (checks/include/gdverify/checks/model_assessment.hpp).
#include "gdverify/checks/model_assessment.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <mutex>

#include "gdverify/checks/registry.hpp"
#include "gdverify/numerics/model_sampler.hpp"
#include "gdverify/numerics/monte_carlo_estimators.hpp"
#include "gdverify/numerics/scenario_monte_carlo.hpp"
#include "gdverify/numerics/statistical_level.hpp"
#include "statistical_assertions.hpp"

namespace gdverify::checks {

using namespace gdverify::numerics;
namespace {

using detail::Assertions;
using detail::Falsifying;
using detail::interval;
using detail::num;
using detail::require_control;
using detail::seconds_since;
using detail::variance_finite_at;
using detail::z_crit;

/// Everything the four checks of one (form, sampler) read, computed once.
struct ModelCase {
  std::once_flag once;
  std::string schedule, form;
  SamplerKind sampler = SamplerKind::euler_maruyama;
  long paths = 0;
  MonteCarloSpec spec;                // N steps, noise_refinement 2 (coupled with 2N)
  ModelRun model;                     // the model's run
  MonteCarloSums exact;               // the exact engine, same spec and noise
  std::vector<double> exact_log_phi;  // its paths
  std::vector<double> fine_log_phi;   // the exact engine at 2N steps, same Brownian paths
  double seconds = 0;
  bool charged = false;  // the first check to report includes the shared runs' time
  double take_seconds() {
    const double t = charged ? 0.0 : seconds;
    charged = true;
    return t;
  }
};

void compute(ModelCase& mc, const Scenario& sc, const ScoreModel& model, const ModelAssessmentOptions& opt) {
  const auto t0 = std::chrono::steady_clock::now();
  const auto problem = scenario_guidance_problem(sc, mc.form);
  const auto proc = sc.process<double>(mc.schedule);
  mc.spec = scenario_monte_carlo_spec(sc, mc.schedule, mc.sampler);
  const int n = static_cast<int>(mc.spec.grid.size()) - 1;
  MonteCarloSpec fine = mc.spec;
  fine.grid = uniform_grid(sc.t_min(), sc.t_max(mc.schedule), 2 * n);
  fine.checkpoints.clear();
  for (int c : mc.spec.checkpoints) fine.checkpoints.push_back(2 * c);
  // The N-step runs take normalised sums of the 2N-step run's normals: the
  // same Brownian path (MonteCarloSpec::noise_refinement).
  mc.spec.noise_refinement = 2;
  const ModelSampler sampler(problem, proc, mc.spec);
  ModelRunOptions ro;
  ro.batch = opt.batch;
  mc.model = sampler.run(model, mc.paths, ro);
  mc.exact_log_phi = sampler.exact_engine().path_log_metrics(mc.paths);
  mc.exact = sampler.exact_engine().reduce(mc.paths, mc.exact_log_phi);
  mc.fine_log_phi = MonteCarloEngine(problem, proc, fine).path_log_metrics(mc.paths);
  mc.seconds = seconds_since(t0);
}

std::string label_of(ModelCase& mc) { return mc.form + "." + sampler_name(mc.sampler); }

CheckResult start_result(ModelCase& mc, const Scenario& sc, const ScoreModel& model, const std::string& what,
                         const std::string& description) {
  CheckResult r;
  r.name = "model." + what + "." + label_of(mc);
  r.description = description;
  r.details["setup"] =
      "model '" + model.name() + "' on the scenario (d = " + std::to_string(model.dimension()) + "), " +
      mc.form + ", " + sampler_name(mc.sampler) + " N = " + std::to_string(mc.spec.grid.size() - 1) + " on " +
      mc.schedule + " from t = " + num(sc.t_max(mc.schedule)) + " to delta = " + num(sc.t_min()) + ", " +
      std::to_string(mc.paths) + " paths coupled with the exact score (same start and noise), seed " +
      std::to_string(sc.seed);
  return r;
}

/// The w = 0 control of the T1/T3 checks, on the exact engine's run.
void control(Assertions& as, CheckResult& r, ModelCase& mc, const Scenario& sc, double kappa) {
  const auto problem = scenario_guidance_problem(sc, mc.form);
  const bool finite =
      variance_finite_at(problem, sc.process<double>(mc.schedule), mc.exact.checkpoint_times, r);
  as.require("Var phi finite (w = 0)", finite,
             "not finite (or undecided) under the exact unguided law: normal-theory intervals for E[phi] are "
             "not valid");
  for (std::size_t j = 0; j < mc.exact.checkpoints.size(); ++j)
    require_control(as, " (exact score) at checkpoint " + std::to_string(j),
                    mean_interval(mc.exact.at(0, j).phi, z_crit()), kappa, mc.paths, Falsifying::yes);
}

CheckResult score_error(ModelCase& mc, const Scenario& sc, const ScoreModel& model, double tv) {
  const double z = z_crit();
  const double budget = 2 * tv * tv;  // Pinsker: TV <= sqrt(KL / 2) <= tv
  CheckResult r =
      start_result(mc, sc, model, "score-error",
                   "path-law KL of the guided SDE with this score <= 2 tv^2 (TV <= tv by Pinsker)");
  bool any_fail = false, all_pass = true;
  double worst_ratio = 0;
  for (std::size_t iw = 0; iw < mc.model.girsanov.size(); ++iw) {
    const std::string tag = "w=" + num(mc.exact.guidance_scales[iw]);
    const auto kl = mean_interval(mc.model.girsanov[iw], z);
    r.quantities.push_back({tag + " path KL", QuantityKind::statistical, kl.mean, kl.std_error, 0});
    r.details[tag + " path KL (Girsanov) [interval]"] = interval(kl);
    if (kl.lower > budget) any_fail = true;
    if (!(kl.upper <= budget)) all_pass = false;
    worst_ratio = std::max(worst_ratio, kl.mean / budget);
    // Relative RMS score error at four times along the paths.
    const auto& rows = mc.model.score_error[iw];
    std::string table;
    // Five times along the paths: the start, three in between and the last step (nearest delta).
    std::vector<std::size_t> picks;
    for (std::size_t q = 0; q < 5 && !rows.empty(); ++q) picks.push_back(q * (rows.size() - 1) / 4);
    picks.erase(std::unique(picks.begin(), picks.end()), picks.end());
    for (std::size_t k : picks) {
      const auto& row = rows[k];
      const double rel = row.exact_guided.mean > 0 ? std::sqrt(row.guided.mean / row.exact_guided.mean) : 0.0;
      table += (table.empty() ? "" : "; ") + std::string("t=") + num(row.t) + ": E|ds|^2 uncond " +
               num(row.unconditional.mean) + ", target " + num(row.target.mean) + ", guided rel. RMS " +
               num(rel);
    }
    r.details[tag + " score error along the paths"] = table;
  }
  r.residual = worst_ratio;
  r.tolerance = 1;
  r.lhs = "path KL / budget (worst w) = " + num(worst_ratio);
  r.rhs = "budget 2 tv^2 = " + num(budget) + " (tv = " + num(tv) + ")";
  r.scalar = "double";
  r.digits = 15;
  r.details["budget"] =
      "KL <= 2 tv^2 = " + num(budget) + ": the guided SDE with this score is within TV " + num(tv) +
      " of the exact one (Pinsker). For the ODE samplers this is the KL the SDE would incur with "
      "the same score: a measure of the score, not of the ODE's law";
  if (any_fail) {
    r.verdict = Verdict::fail;
    r.details["misses by"] = "a factor " + num(worst_ratio) + " over the budget";
  } else if (all_pass) {
    r.verdict = Verdict::pass;
  } else {
    r.verdict = Verdict::inconclusive;
    r.details["reason"] = "the KL interval straddles the budget: more paths would decide";
  }
  r.seconds = mc.take_seconds();
  return r;
}

CheckResult model_t1_t3(ModelCase& mc, const Scenario& sc, const ScoreModel& model, bool t1) {
  const double z = z_crit();
  const auto problem = scenario_guidance_problem(sc, mc.form);
  const double kappa = std::exp(problem.log_metric_scale());
  CheckResult r =
      start_result(mc, sc, model, t1 ? "T1" : "T3",
                   t1 ? "with this model, E[phi] does not rise in tau nor end above kappa"
                      : "with this model, the average does not get worse; improved fraction reported");
  Assertions as;
  control(as, r, mc, sc, kappa);
  const MonteCarloSums& s = mc.model.sums;
  const std::size_t last = s.checkpoints.size() - 1;
  const std::size_t entries = s.guidance_scales.size() * s.checkpoints.size();
  const auto gap = coupled_metric_difference(mc.model.log_phi, mc.exact_log_phi, mc.paths, entries);
  if (s.guidance_scales.size() < 2) as.require("guidance scales", false, "guidance.scales has no w > 0");
  for (std::size_t iw = 1; iw < s.guidance_scales.size(); ++iw) {
    const std::string tag = "w=" + num(s.guidance_scales[iw]);
    const auto end = mean_interval(s.at(iw, last).phi, z);
    as.add(tag + " E[phi_T] not above kappa", end.lower <= kappa,
           "E[phi_T] " + interval(end) + " vs kappa = " + num(kappa));
    r.quantities.push_back({tag + " E[phi_T]", QuantityKind::statistical, end.mean, end.std_error, 0});
    const auto g = mean_interval(gap[iw * s.checkpoints.size() + last], z);
    r.details[tag + " E[phi_T(model) - phi_T(exact)] (coupled)"] = interval(g);
    r.quantities.push_back(
        {tag + " E[phi_T] gap to exact", QuantityKind::statistical, g.mean, g.std_error, 0});
    const auto ex = mean_interval(mc.exact.at(iw, last).phi, z);
    r.details[tag + " decrease E[phi_T] - kappa: model vs exact"] =
        num(end.mean - kappa) + " vs " + num(ex.mean - kappa);
    if (t1) {
      for (std::size_t j = 1; j <= last; ++j) {
        const auto dm = mean_interval(s.at(iw, j).diff_tau, z);
        as.add(tag + " interval " + std::to_string(j), dm.lower <= 0, "E[phi_j - phi_{j-1}] " + interval(dm));
      }
    } else {
      const auto& st = s.at(iw, last);
      const auto cp = clopper_pearson(st.improved, st.phi.n + st.nonfinite, kStatisticalAlpha);
      const auto& se = mc.exact.at(iw, last);
      const auto ce = clopper_pearson(se.improved, se.phi.n + se.nonfinite, kStatisticalAlpha);
      r.details[tag + " improved fraction: model [Clopper-Pearson] vs exact score"] =
          num(cp.estimate) + " [" + num(cp.lower) + ", " + num(cp.upper) + "] vs " + num(ce.estimate) + " [" +
          num(ce.lower) + ", " + num(ce.upper) + "]";
      const double n = st.phi.n + st.nonfinite;
      r.quantities.push_back({tag + " improved fraction", QuantityKind::statistical, cp.estimate,
                              n > 0 ? std::sqrt(cp.estimate * (1 - cp.estimate) / n) : 0.0, 0});
    }
  }
  double nonfinite = 0;
  for (const auto& st : s.stats) nonfinite += st.nonfinite;
  as.add("finite log phi", nonfinite == 0, num(nonfinite) + " non-finite values");
  return as.finish(r, mc.take_seconds());
}

CheckResult weak_error(ModelCase& mc, const Scenario& sc, const ScoreModel& model) {
  const double z = z_crit();
  CheckResult r =
      start_result(mc, sc, model, "weak-error",
                   "weak error in E[log phi] against the exact discrete law <= the exact sampler's own "
                   "discretisation error at N");
  const std::size_t ncp = mc.exact.checkpoints.size(), last = ncp - 1;
  const std::size_t entries = mc.exact.guidance_scales.size() * ncp;
  // Richardson: the exact sampler's error at N is D 2^p / (2^p - 1), D = E[l_N - l_2N].
  const double p = mc.sampler == SamplerKind::heun ? 2.0 : 1.0;
  const double richardson = std::pow(2.0, p) / (std::pow(2.0, p) - 1);
  bool any_fail = false, all_pass = true;
  double worst = 0;
  for (std::size_t iw = 0; iw < mc.exact.guidance_scales.size(); ++iw) {
    RunningMoments dm, dd;
    for (long i = 0; i < mc.paths; ++i) {
      const std::size_t e = static_cast<std::size_t>(i) * entries + iw * ncp + last;
      const double lm = mc.model.log_phi[e], le = mc.exact_log_phi[e], lf = mc.fine_log_phi[e];
      if (!std::isfinite(lm) || !std::isfinite(le) || !std::isfinite(lf)) continue;
      dm.add(lm - le);
      dd.add(richardson * (le - lf));
    }
    const auto model_err = mean_interval(dm, z), disc = mean_interval(dd, z);
    const double m_low = std::max(0.0, std::abs(model_err.mean) - z * model_err.std_error);
    const double m_up = std::abs(model_err.mean) + z * model_err.std_error;
    const double d_up = std::abs(disc.mean) + z * disc.std_error;
    const std::string tag = "w=" + num(mc.exact.guidance_scales[iw]);
    r.details[tag + " E[log phi_model - log phi_exact] at N (coupled)"] = interval(model_err);
    r.details[tag + " exact sampler's discretisation error at N (Richardson from 2N)"] = interval(disc);
    r.quantities.push_back({tag + " weak error vs exact discrete law", QuantityKind::statistical,
                            model_err.mean, model_err.std_error, 0});
    if (m_low > d_up) any_fail = true;
    if (!(m_up <= d_up)) all_pass = false;
    worst = std::max(worst, d_up > 0 ? m_low / d_up : (m_low > 0 ? INFINITY : 0.0));
  }
  r.residual = worst;
  r.tolerance = 1;
  r.lhs = "|model's weak error| (lower bound) / discretisation error (upper bound), worst w = " + num(worst);
  r.rhs = "1";
  r.scalar = "double";
  r.digits = 15;
  r.seconds = mc.take_seconds();
  if (any_fail) {
    r.verdict = Verdict::fail;
  } else if (all_pass) {
    r.verdict = Verdict::pass;
  } else {
    r.verdict = Verdict::inconclusive;
    r.details["reason"] =
        "the model's weak-error interval reaches past the discretisation error: more paths would decide";
  }
  return r;
}

}  // namespace

std::vector<Check> model_checks(const Scenario& sc, const std::string& form,
                                std::shared_ptr<const ScoreModel> model,
                                const ModelAssessmentOptions& options) {
  if (!model) throw InvalidParameter("model", "no model given");
  require_posed_form(sc, form);
  if (!(options.tv_tolerance > 0 && options.tv_tolerance < 1))
    throw InvalidParameter("tv_tolerance", "must lie in (0, 1)");
  auto held = std::make_shared<const Scenario>(sc);
  std::vector<Check> out;
  const auto samplers = options.samplers.empty() ? sc.samplers : options.samplers;
  for (SamplerKind k : samplers) {
    auto mc = std::make_shared<ModelCase>();
    mc->schedule = primary_schedule(sc);
    mc->form = form;
    mc->sampler = k;
    mc->paths = options.paths > 0 ? options.paths : sc.paths;
    auto ensure = [held, model, mc, options] {
      std::call_once(mc->once, [&] { compute(*mc, *held, *model, options); });
    };
    const std::string label = form + "." + sampler_name(k);
    const std::string problem = "scenario";
    out.push_back({"model.score-error." + label, "path-law KL of this score's guided SDE within 2 tv^2", true,
                   [=](const Perturbation&) {
                     ensure();
                     return score_error(*mc, *held, *model, options.tv_tolerance);
                   },
                   problem, needs_of(form, mc->schedule, sampler_name(k))});
    out.push_back({"model.T1." + label, "T1 with this model (E[phi] does not rise, ends <= kappa)", true,
                   [=](const Perturbation&) {
                     ensure();
                     return model_t1_t3(*mc, *held, *model, true);
                   },
                   problem, needs_of(form, mc->schedule, sampler_name(k))});
    out.push_back({"model.T3." + label, "T3 with this model (average not worse; improved fraction)", true,
                   [=](const Perturbation&) {
                     ensure();
                     return model_t1_t3(*mc, *held, *model, false);
                   },
                   problem, needs_of(form, mc->schedule, sampler_name(k))});
    out.push_back({"model.weak-error." + label,
                   "weak error vs the exact discrete law <= discretisation error", true,
                   [=](const Perturbation&) {
                     ensure();
                     return weak_error(*mc, *held, *model);
                   },
                   problem, needs_of(form, mc->schedule, sampler_name(k))});
  }
  return out;
}

}  // namespace gdverify::checks
