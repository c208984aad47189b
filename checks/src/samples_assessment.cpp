// The samples assessment (checks/include/gdverify/checks/samples_assessment.hpp).
#include "gdverify/checks/samples_assessment.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>
#include <mutex>
#include <numeric>
#include <random>

#include "gdverify/checks/registry.hpp"
#include "gdverify/numerics/model_sampler.hpp"
#include "gdverify/numerics/monte_carlo_estimators.hpp"
#include "gdverify/numerics/scenario_monte_carlo.hpp"
#include "gdverify/theory/guided_score.hpp"
#include "statistical_assertions.hpp"

namespace gdverify::checks {

using namespace gdverify::numerics;

EnergyTest energy_test(const std::vector<double>& a, const std::vector<double>& b, int d, int permutations,
                       std::uint64_t seed) {
  const std::size_t n = a.size() / static_cast<std::size_t>(d), m = b.size() / static_cast<std::size_t>(d);
  const std::size_t total = n + m;
  if (n < 2 || m < 2)
    throw InvalidParameter("samples", "the energy test needs at least 2 points on each side");
  auto at = [&](std::size_t i, int j) {
    return i < n ? a[i * static_cast<std::size_t>(d) + static_cast<std::size_t>(j)]
                 : b[(i - n) * static_cast<std::size_t>(d) + static_cast<std::size_t>(j)];
  };
  std::vector<double> dist(total * total, 0.0);
  for (std::size_t i = 0; i < total; ++i)
    for (std::size_t k = i + 1; k < total; ++k) {
      double s = 0;
      for (int j = 0; j < d; ++j) s += (at(i, j) - at(k, j)) * (at(i, j) - at(k, j));
      dist[i * total + k] = dist[k * total + i] = std::sqrt(s);
    }
  double all = 0;
  for (double v : dist) all += v;
  // Statistic for a labelling (first n of `order` are side A).
  auto statistic = [&](const std::vector<std::size_t>& order) {
    std::vector<char> in_a(total, 0);
    for (std::size_t i = 0; i < n; ++i) in_a[order[i]] = 1;
    double saa = 0, sbb = 0;
    for (std::size_t i = 0; i < total; ++i)
      for (std::size_t k = 0; k < total; ++k) {
        if (in_a[i] && in_a[k])
          saa += dist[i * total + k];
        else if (!in_a[i] && !in_a[k])
          sbb += dist[i * total + k];
      }
    const double sab = (all - saa - sbb) / 2;
    const double nn = static_cast<double>(n), mm = static_cast<double>(m);
    return sab / (nn * mm) - saa / (2 * nn * nn) - sbb / (2 * mm * mm);
  };
  std::vector<std::size_t> order(total);
  std::iota(order.begin(), order.end(), 0);
  EnergyTest out;
  out.distance = 2 * statistic(order);
  std::mt19937_64 rng(seed);
  int above = 0;
  RunningMoments null;
  for (int p = 0; p < permutations; ++p) {
    std::shuffle(order.begin(), order.end(), rng);
    const double v = 2 * statistic(order);
    if (v >= out.distance) ++above;
    null.add(v);
  }
  out.p_value = (1.0 + above) / (1.0 + permutations);
  out.null_sd = std::sqrt(null.variance());
  return out;
}

namespace {

using detail::num;
using detail::seconds_since;
using detail::z_crit;

struct Reference {
  std::once_flag once;
  ModelRun run;
  std::vector<double> scales;  // as the run orders them (w = 0 first)
  double seconds = 0;
  bool charged = false;  // the first check to report includes the reference run's time
  double take_seconds() {
    const double t = charged ? 0.0 : seconds;
    charged = true;
    return t;
  }
};

std::size_t scale_index(const std::vector<double>& scales, double w) {
  for (std::size_t i = 0; i < scales.size(); ++i)
    if (scales[i] == w) return i;
  throw std::logic_error("scale not in the reference run");
}

/// log phi_delta at each row of an array.
std::vector<double> log_metrics(const GuidanceProblem<double>& problem, const ForwardProcess<double>& proc,
                                double t, const std::vector<double>& x, int d) {
  const GuidedScore<double> field(problem, proc, t);
  Vector<double> v(d);
  std::vector<double> out(x.size() / static_cast<std::size_t>(d));
  for (std::size_t i = 0; i < out.size(); ++i) {
    for (int j = 0; j < d; ++j) v(j) = x[i * static_cast<std::size_t>(d) + static_cast<std::size_t>(j)];
    out[i] = field.log_metric(v);
  }
  return out;
}

RunningMoments moments_of(const std::vector<double>& v, bool exponentiate) {
  RunningMoments m;
  for (double x : v) m.add(exponentiate ? std::exp(x) : x);
  return m;
}

/// A seeded subsample of at most k rows.
std::vector<double> subsample(const std::vector<double>& x, int d, long k, std::uint64_t seed) {
  const std::size_t rows = x.size() / static_cast<std::size_t>(d);
  std::vector<std::size_t> idx(rows);
  std::iota(idx.begin(), idx.end(), 0);
  std::mt19937_64 rng(seed);
  std::shuffle(idx.begin(), idx.end(), rng);
  idx.resize(std::min<std::size_t>(rows, static_cast<std::size_t>(k)));
  std::vector<double> out;
  for (std::size_t i : idx)
    for (int j = 0; j < d; ++j)
      out.push_back(x[i * static_cast<std::size_t>(d) + static_cast<std::size_t>(j)]);
  return out;
}

CheckResult base_result(const std::string& name, const std::string& description, const SampleArray& a,
                        const SamplesAssessmentOptions& o, int steps, long ref_paths) {
  CheckResult r;
  r.name = name;
  r.description = description;
  r.scalar = "double";
  r.digits = 15;
  r.details["setup"] = a.file + ": " + std::to_string(a.rows) + " samples at w = " + num(a.w) +
                       "; reference: the exact score through " + sampler_name(o.sampler) +
                       " N = " + std::to_string(steps) + ", " + std::to_string(ref_paths) + " paths";
  return r;
}

}  // namespace

std::vector<Check> samples_checks(const Scenario& sc, const std::string& form,
                                  std::vector<SampleArray> arrays, const SamplesAssessmentOptions& o) {
  require_posed_form(sc, form);
  if (arrays.empty()) throw InvalidParameter("--samples", "no sample arrays");
  if (o.steps < 0) throw InvalidParameter("--steps", "must be >= 1");
  if (!(o.law_level > 0 && o.law_level < 1)) throw InvalidParameter("law_level", "must lie in (0, 1)");
  if (o.permutations < 1) throw InvalidParameter("permutations", "must be >= 1");
  if (o.energy_subsample < 2 || o.energy_subsample > kMaxEnergyPoints)
    throw InvalidParameter("--energy-points", "must lie in [2, " + std::to_string(kMaxEnergyPoints) + "]");
  // The smallest p-value B permutations can give is 1 / (B + 1): below the level, or the test could never
  // fail.
  if (1.0 / (1.0 + o.permutations) > o.law_level)
    throw InvalidParameter("permutations",
                           "1 / (permutations + 1) must not exceed the level, or no sample could fail");
  const bool has_w0 = arrays.front().w == 0;
  if (o.coupled) {
    if (!has_w0) throw InvalidParameter("--coupled", "coupled samples need w_0.npy (the unguided rows)");
    for (const auto& a : arrays)
      if (a.rows != arrays.front().rows)
        throw InvalidParameter("--coupled", a.file + " has " + std::to_string(a.rows) + " rows, " +
                                                arrays.front().file + " " +
                                                std::to_string(arrays.front().rows));
  }
  const int steps = o.steps > 0 ? o.steps : *std::max_element(sc.steps.begin(), sc.steps.end());
  const long ref_paths = o.reference_paths > 0 ? o.reference_paths : std::min<long>(sc.paths, 1L << 16);
  auto held = std::make_shared<const Scenario>(sc);
  auto data = std::make_shared<const std::vector<SampleArray>>(std::move(arrays));
  auto ref = std::make_shared<Reference>();
  const std::string schedule = primary_schedule(sc);
  auto ensure = [held, data, ref, o, steps, ref_paths, schedule, form] {
    std::call_once(ref->once, [&] {
      const auto t0 = std::chrono::steady_clock::now();
      const auto problem = scenario_guidance_problem(*held, form);
      const auto proc = held->process<double>(schedule);
      MonteCarloSpec spec = scenario_monte_carlo_spec(*held, schedule, o.sampler);
      spec.grid = uniform_grid(held->t_min(), held->t_max(schedule), steps);
      spec.checkpoints = {};
      spec.guidance_scales.clear();
      for (const auto& a : *data) spec.guidance_scales.push_back(a.w);
      const ModelSampler sampler(problem, proc, spec);
      ModelRunOptions ro;
      ro.score_error = false;
      ro.keep_endpoints = true;
      ref->run = sampler.run(ExactScoreModel(problem, proc), ref_paths, ro);
      ref->scales = sampler.spec().guidance_scales;
      ref->seconds = seconds_since(t0);
    });
  };
  std::vector<Check> out;
  const std::string needs_sampler = sampler_name(o.sampler);
  for (std::size_t ia = 0; ia < data->size(); ++ia) {
    const SampleArray& a = (*data)[ia];
    const std::string tag = form + ".w=" + format_significant(a.w, 10);
    out.push_back(
        {"samples.log-phi." + tag, "E[log phi] of the samples = the exact discrete law's (two-sample z-test)",
         true,
         [=](const Perturbation&) {
           ensure();
           const auto t0 = std::chrono::steady_clock::now();
           const auto problem = scenario_guidance_problem(*held, form);
           const auto proc = held->process<double>(schedule);
           const SampleArray& s = (*data)[ia];
           const auto lp = log_metrics(problem, proc, held->t_min(), s.values, s.dimension);
           const std::size_t iw = scale_index(ref->scales, s.w);
           const std::size_t ncp = ref->run.sums.checkpoints.size();
           const auto& rs = ref->run.sums.at(iw, ncp - 1);
           const double z = z_crit();
           const auto ms = mean_interval(moments_of(lp, false), z), mr = mean_interval(rs.log_phi, z);
           const double se = std::sqrt(ms.std_error * ms.std_error + mr.std_error * mr.std_error);
           const double zs =
               se > 0 ? std::abs(ms.mean - mr.mean) / se : (ms.mean == mr.mean ? 0.0 : INFINITY);
           CheckResult r =
               base_result("samples.log-phi." + tag, "E[log phi] of the samples = the exact discrete law's",
                           s, o, steps, ref_paths);
           r.lhs = "samples E[log phi] = " + detail::interval(ms);
           r.rhs = "exact score, same sampler: " + detail::interval(mr);
           r.residual = zs;
           r.tolerance = z;
           r.verdict = zs <= z ? Verdict::pass : Verdict::fail;
           const auto mp = mean_interval(moments_of(lp, true), z), rp = mean_interval(rs.phi, z);
           r.details
               ["E[phi] samples vs reference [normal-theory intervals; Var phi of the guided law not "
                "decided]"] = detail::interval(mp) + " vs " + detail::interval(rp);
           r.quantities.push_back({"E[log phi]", QuantityKind::statistical, ms.mean, ms.std_error, 0});
           r.quantities.push_back({"E[phi]", QuantityKind::statistical, mp.mean, mp.std_error, 0});
           r.seconds = seconds_since(t0) + ref->take_seconds();
           return r;
         },
         "scenario", needs_of(form, schedule, needs_sampler)});
    out.push_back(
        {"samples.energy." + tag,
         "the samples' law = the exact discrete law (energy distance, permutation test)", true,
         [=](const Perturbation&) {
           ensure();
           const auto t0 = std::chrono::steady_clock::now();
           const SampleArray& s = (*data)[ia];
           const std::size_t iw = scale_index(ref->scales, s.w);
           const auto xs = subsample(s.values, s.dimension, o.energy_subsample, held->seed + 1);
           const auto xr = subsample(ref->run.endpoints[iw], s.dimension, o.energy_subsample, held->seed + 2);
           const EnergyTest e = energy_test(xs, xr, s.dimension, o.permutations, held->seed + 3);
           CheckResult r = base_result("samples.energy." + tag, "the samples' law = the exact discrete law",
                                       s, o, steps, ref_paths);
           r.lhs = "energy distance " + num(e.distance) + ", permutation p = " + num(e.p_value) +
                   " (residual = level / p)";
           r.rhs = "level " + num(o.law_level) + " (" + std::to_string(o.permutations) + " permutations, " +
                   std::to_string(xs.size() / static_cast<std::size_t>(s.dimension)) + " + " +
                   std::to_string(xr.size() / static_cast<std::size_t>(s.dimension)) + " points)";
           // residual = level / p: the check fails at p <= level, i.e. residual >= 1.
           r.residual = o.law_level / e.p_value;
           r.tolerance = 1;
           // Reject at p <= level: P(p <= level) <= level for a permutation test.
           r.verdict = e.p_value > o.law_level ? Verdict::pass : Verdict::fail;
           // A statistic of the samples: compare judges its change by the spread it has
           // under the null (the permutations), not as an exact number.
           r.quantities.push_back({"energy distance", QuantityKind::statistical, e.distance, e.null_sd, 0});
           r.seconds = seconds_since(t0) + ref->take_seconds();
           return r;
         },
         "scenario", needs_of(form, schedule, needs_sampler)});
    if (o.coupled && a.w > 0)
      out.push_back(
          {"samples.improved-fraction." + tag, "coupled improved fraction = the exact discrete law's", true,
           [=](const Perturbation&) {
             ensure();
             const auto t0 = std::chrono::steady_clock::now();
             const auto problem = scenario_guidance_problem(*held, form);
             const auto proc = held->process<double>(schedule);
             const SampleArray& s = (*data)[ia];
             const SampleArray& s0 = data->front();
             const auto lw = log_metrics(problem, proc, held->t_min(), s.values, s.dimension);
             const auto l0 = log_metrics(problem, proc, held->t_min(), s0.values, s0.dimension);
             double improved = 0;
             for (std::size_t i = 0; i < lw.size(); ++i) improved += lw[i] <= l0[i] ? 1 : 0;
             const double n = static_cast<double>(lw.size());
             const auto& rs =
                 ref->run.sums.at(scale_index(ref->scales, s.w), ref->run.sums.checkpoints.size() - 1);
             const double nr = rs.phi.n + rs.nonfinite;
             const auto cs = clopper_pearson(improved, n, kStatisticalAlpha);
             const auto cr = clopper_pearson(rs.improved, nr, kStatisticalAlpha);
             const double pooled = (improved + rs.improved) / (n + nr);
             const double se = std::sqrt(pooled * (1 - pooled) * (1 / n + 1 / nr));
             const double zs = se > 0 ? std::abs(cs.estimate - cr.estimate) / se
                                      : (cs.estimate == cr.estimate ? 0.0 : INFINITY);
             CheckResult r = base_result("samples.improved-fraction." + tag,
                                         "coupled improved fraction = the exact one", s, o, steps, ref_paths);
             r.lhs = "samples " + num(cs.estimate) + " [" + num(cs.lower) + ", " + num(cs.upper) + "]";
             r.rhs = "exact score, same sampler " + num(cr.estimate) + " [" + num(cr.lower) + ", " +
                     num(cr.upper) + "]";
             r.residual = zs;
             r.tolerance = z_crit();
             r.verdict = zs <= z_crit() ? Verdict::pass : Verdict::fail;
             r.quantities.push_back({"improved fraction", QuantityKind::statistical, cs.estimate,
                                     std::sqrt(cs.estimate * (1 - cs.estimate) / n), 0});
             r.seconds = seconds_since(t0) + ref->take_seconds();
             return r;
           },
           "scenario", needs_of(form, schedule, needs_sampler)});
  }
  return out;
}

}  // namespace gdverify::checks
