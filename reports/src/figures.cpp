#include "gdverify/reports/figures.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

#include "gdverify/checks/discretisation_checks.hpp"
#include "gdverify/convergence/weak_error_study.hpp"
#include "gdverify/numerics/gaussian_oracle.hpp"
#include "gdverify/numerics/gaussian_problems.hpp"
#include "gdverify/numerics/monte_carlo_engine.hpp"
#include "gdverify/numerics/monte_carlo_estimators.hpp"
#include "gdverify/numerics/ode_characteristics.hpp"
#include "gdverify/theory/guided_score.hpp"
#include "run_program.hpp"
#include "text_file.hpp"

namespace gdverify::reports {
namespace fs = std::filesystem;
using Real = Real50;

namespace {

/// Runs gnuplot on the script `name`.gp (written beside the data), producing
/// `name`.svg. No shell is involved and no user string becomes script text:
/// gnuplot gets an argument vector, and the scenario's name reaches the
/// script as data, ARG1 of `gnuplot -c`, printed with sprintf('%s') and
/// `noenhanced` so that no markup in it is interpreted.
void plot(const fs::path& dir, const std::string& name, const std::string& body,
          const std::string& scenario) {
  // Paths in the script are relative to the report directory, so the
  // scripts and data files can be rerun and edited where they lie.
  detail::write_text(dir / (name + ".gp"),
                     "# gnuplot -c " + name +
                         ".gp 'scenario name'   (ARG1: the scenario's name, used as data)\n"
                         "set terminal svg size 720,440 dynamic font 'sans,12'\nset output '" +
                         name + ".svg'\nset grid\nset key top right\n" + body);
  const fs::path log = dir / (name + ".log");
  if (detail::run_program({"gnuplot", "-c", name + ".gp", scenario}, dir, log) != 0)
    throw std::runtime_error("gnuplot failed for " + name + " (see " + log.string() + ")");
  fs::remove(log);
}

/// The law of p(c|Y) is drawn as a histogram over this many equal bins of [0, 1].
constexpr int kProbabilityBins = 40;

int probability_bin(double p) {
  return std::min(kProbabilityBins - 1, std::max(0, static_cast<int>(p * kProbabilityBins)));
}

double probability_bin_centre(int b) { return (b + 0.5) / kProbabilityBins; }

/// classifier_distribution.dat, .gp and .svg: the histograms h[0] (w = 0) and
/// h[1] (w = 1) of p(c|Y), computed by `method` ("Monte Carlo" or "ODE").
void plot_classifier_distribution(const fs::path& dir, const std::vector<std::vector<double>>& h,
                                  const std::string& ylabel, const std::string& method,
                                  const std::string& scenario) {
  std::string dat;
  for (int b = 0; b < kProbabilityBins; ++b)
    dat += fmt::format("{:.6f} {:.17g} {:.17g}\n", probability_bin_centre(b), h[0][b], h[1][b]);
  detail::write_text(dir / "classifier_distribution.dat", dat);
  plot(dir, "classifier_distribution",
       "set xlabel 'p(c|Y)'\nset ylabel '" + ylabel +
           "'\nset style fill transparent solid 0.4\n"
           "set title sprintf('Law of p(c|Y) without and with guidance (" +
           method +
           ", %s)', ARG1) noenhanced\nplot 'classifier_distribution.dat' u 1:2 w boxes t 'w = 0', '' u 1:3 w "
           "boxes t 'w = 1'\n",
       scenario);
}

}  // namespace

// 3-5 for a scenario in d > 1 or a data set: the same three figures from the
// Monte Carlo engine (Euler-Maruyama, the scenario's largest step count, ou,
// exact start, coupled paths, at most 2^14 of them): E[phi] with its 95%
// interval and the degraded fraction (Clopper-Pearson) against w, and the law
// of p(c|Y) for w = 0 and w = 1 as path histograms.
static std::vector<Figure> monte_carlo_figures(const fs::path& dir, const numerics::Scenario& sc,
                                               nlohmann::json& data, std::vector<Figure> figs) {
  const auto problem = GuidanceProblem<double>::cfg(sc.mixture<double>(), sc.guided_class);
  const auto proc = sc.process<double>("ou");
  const long paths = std::min(sc.paths, 1L << 14);
  const int steps = *std::max_element(sc.steps.begin(), sc.steps.end());
  numerics::MonteCarloSpec spec;
  spec.grid = numerics::uniform_grid(sc.early_stop, sc.ou_horizon, steps);
  spec.guidance_scales = sc.guidance_scales;
  spec.guidance_scales.push_back(1.0);
  std::sort(spec.guidance_scales.begin(), spec.guidance_scales.end());
  spec.guidance_scales.erase(std::unique(spec.guidance_scales.begin(), spec.guidance_scales.end()),
                             spec.guidance_scales.end());
  spec.seed = sc.seed;
  const numerics::MonteCarloEngine engine(problem, proc, spec);
  const auto sums = engine.run(paths);
  const double z = numerics::two_sided_normal_quantile(0.05);
  std::string dat;
  nlohmann::json rows = nlohmann::json::array();
  for (std::size_t i = 0; i < sums.guidance_scales.size(); ++i) {
    const double w = sums.guidance_scales[i];
    if (w == 0) continue;
    const auto& st = sums.at(i, sums.checkpoints.size() - 1);
    const auto m = numerics::mean_interval(st.phi, z);
    const auto cp =
        numerics::clopper_pearson(st.phi.n + st.nonfinite - st.improved, st.phi.n + st.nonfinite, 0.05);
    dat += fmt::format("{:.17g} {:.17g} {:.17g} {:.17g} {:.17g} {:.17g} {:.17g}\n", w, m.mean, m.lower,
                       m.upper, cp.estimate, cp.lower, cp.upper);
    rows.push_back({w, m.mean, m.lower, m.upper, cp.estimate, cp.lower, cp.upper});
  }
  detail::write_text(dir / "versus_w.dat", dat);
  const auto v0 = numerics::metric_variance_under_target(problem, proc, sc.early_stop);
  plot(dir, "metric_vs_w",
       "set logscale x\nset xlabel 'guidance scale w'\nset ylabel 'E[1/p(c|Y^w)]'\n"
       "set title sprintf('Reciprocal classifier probability against w (Monte Carlo, %s)', ARG1) noenhanced\n"
       "plot 'versus_w.dat' u 1:2:3:4 w yerrorlines pt 7 t 'E[1/p(c|Y^w)], 95% interval'\n",
       sc.name);
  plot(
      dir, "degraded_vs_w",
      "set logscale x\nset xlabel 'guidance scale w'\nset ylabel 'P(p(c|Y^w) < p(c|Y^0))'\nset yrange [0:1]\n"
      "set title sprintf('Degraded fraction against w (coupled Monte Carlo, %s)', ARG1) noenhanced\n"
      "plot 'versus_w.dat' u 1:5:6:7 w yerrorlines pt 7 t 'degraded fraction, Clopper-Pearson'\n",
      sc.name);
  data["versus_w"] = {
      {"columns", {"w", "E_phi", "lower", "upper", "degraded", "degraded_lower", "degraded_upper"}},
      {"rows", rows},
      {"method", "Monte Carlo: Euler-Maruyama, N = " + std::to_string(steps) + ", " + std::to_string(paths) +
                     " coupled paths, exact start"},
      {"var_phi_exact_unguided_law", numerics::finiteness_name(v0.state)}};
  figs.push_back({"metric_vs_w.svg",
                  "E[1/p(c|Y^w)] against w with 95% intervals (Monte Carlo; Var phi under the "
                  "exact unguided law: " +
                      numerics::finiteness_name(v0.state) + ")."});
  figs.push_back(
      {"degraded_vs_w.svg",
       "Fraction of coupled paths whose p(c|Y) is lowered by guidance, with Clopper-Pearson intervals: "
       "guidance improves the average, not every sample (T3)."});
  // law of p(c|Y) for w = 0 and w = 1 (entries: scale-major, one checkpoint)
  const auto lp = engine.path_log_metrics(paths);
  const std::size_t entries = engine.scales().size() * engine.checkpoints().size();
  std::size_t one = 0;
  for (std::size_t i = 0; i < engine.scales().size(); ++i)
    if (engine.scales()[i] == 1.0) one = i;
  std::vector<std::vector<double>> h(2, std::vector<double>(kProbabilityBins, 0.0));
  for (long p = 0; p < paths; ++p)
    for (int k = 0; k < 2; ++k) {
      const double l = lp[static_cast<std::size_t>(p) * entries + (k == 0 ? 0 : one)];
      const double prob = std::exp(-l);  // CFG: phi = 1 / p(c|y)
      h[static_cast<std::size_t>(k)][static_cast<std::size_t>(probability_bin(prob))] +=
          1.0 / static_cast<double>(paths);
    }
  plot_classifier_distribution(dir, h, "fraction of paths", "Monte Carlo", sc.name);
  data["classifier_distribution"] = {{"w0", h[0]}, {"w1", h[1]}, {"paths", paths}};
  figs.push_back({"classifier_distribution.svg",
                  "Distribution of p(c|Y) at the end of Euler-Maruyama for w = 0 and w = 1 (coupled Monte "
                  "Carlo paths)."});
  return figs;
}

std::vector<Figure> write_figures(const fs::path& dir, const numerics::Scenario& sc, nlohmann::json& data) {
  std::vector<Figure> figs;
  // 1. both sides of the dissipation identity along tau (exact Gaussian law)
  {
    const numerics::GaussianOracle oracle(numerics::gaussian_problem("reward", 1), sc.process<Real>("ou"),
                                          Real(sc.ou_horizon), Real(sc.early_stop));
    const auto tr = oracle.continuous(Real(1), true, 41);
    std::string dat;
    nlohmann::json rows = nlohmann::json::array();
    for (std::size_t k = 0; k < tr.laws.size(); ++k) {
      const double tau = static_cast<double>(oracle.t_start() - tr.times[k]);
      const double lhs = static_cast<double>(oracle.expected_metric(tr.laws[k], tr.times[k]));
      const double rhs = 1 - static_cast<double>(tr.dissipation[k]);
      dat += fmt::format("{:.17g} {:.17g} {:.17g}\n", tau, lhs, rhs);
      rows.push_back({tau, lhs, rhs});
    }
    detail::write_text(dir / "dissipation.dat", dat);
    plot(dir, "dissipation",
         "set xlabel 'tau'\nset ylabel 'E[phi]'\nset title 'T1 on the exact Gaussian law (ou, reward, w = "
         "1)'\n"
         "plot 'dissipation.dat' u 1:2 w l lw 2 t 'E[phi_tau(Y_tau)]', '' u 1:3 w p pt 6 t '1 - w int g^2 "
         "E[phi |s^r-s|^2]'\n",
         sc.name);
    data["dissipation"] = {{"columns", {"tau", "E_phi", "one_minus_dissipation"}}, {"rows", rows}};
    figs.push_back({"dissipation.svg",
                    "Both sides of T1's identity along tau, computed independently on the exact "
                    "Gaussian law (ou, N(0,1), r = exp(-(x-2)^2/2), w = 1)."});
  }
  // 2. weak error against N with fitted slopes
  {
    std::string plots, dat;
    nlohmann::json studies = nlohmann::json::array();
    int idx = 0;
    for (auto k :
         {numerics::SamplerKind::euler_maruyama, numerics::SamplerKind::ddpm, numerics::SamplerKind::ddim}) {
      const auto st = convergence::weak_error_study(sc, "ou", "reward", k, 1.0);
      const auto& e = st.errors.at("weak |E phi_N - E phi|");
      const auto& f = st.fits.at("weak |E phi_N - E phi|");
      const std::string file = "weak_error_" + numerics::sampler_name(k) + ".dat";
      std::string d;
      for (std::size_t i = 0; i < st.axis.size(); ++i)
        d += fmt::format("{:.17g} {:.17g}\n", st.axis[i], e[i]);
      detail::write_text(dir / file, d);
      plots += fmt::format(
          "{}'{}' u 1:2 w lp pt {} lc {} t '{} (order {:.3f})', exp({:.17g})*x**(-{:.17g}) w l dt 2 lc {} "
          "notitle",
          idx ? ", " : "", file, 5 + idx, idx + 1, numerics::sampler_name(k), f.order, f.intercept, f.order,
          idx + 1);
      studies.push_back({{"sampler", numerics::sampler_name(k)},
                         {"N", st.axis},
                         {"weak_error", e},
                         {"order", f.order},
                         {"lower", f.lower},
                         {"upper", f.upper}});
      ++idx;
    }
    plot(dir, "weak_error",
         "set logscale xy\nset xlabel 'steps N'\nset ylabel '|E phi_N - E phi|'\n"
         "set title 'T2: weak error on the exact Gaussian law (ou, reward, w = 1)'\nplot " +
             plots + "\n",
         sc.name);
    data["weak_error"] = studies;
    figs.push_back({"weak_error.svg",
                    "Weak error of each discrete sampler against its continuous law, with the "
                    "least-squares slope over the asymptotic range (dashed)."});
  }
  if (sc.dimension != 1 || !sc.data_set.empty()) return monte_carlo_figures(dir, sc, data, std::move(figs));
  // 3-5. the 1-D scenario under the ODE coupling
  const auto problem = GuidanceProblem<double>::cfg(sc.mixture<double>(), sc.guided_class);
  const auto proc = sc.process<double>("ou");
  const numerics::OdeCharacteristics oc(problem, proc, sc.ou_horizon, sc.early_stop, 400);
  {
    std::string dat;
    nlohmann::json rows = nlohmann::json::array();
    for (double w : sc.guidance_scales) {
      const double e = oc.expected_metric(w);
      const double deg = oc.run(w).degraded_probability;
      dat += fmt::format("{:.17g} {:.17g} {:.17g}\n", w, e, deg);
      rows.push_back({w, e, deg});
    }
    detail::write_text(dir / "versus_w.dat", dat);
    plot(dir, "metric_vs_w",
         "set logscale x\nset xlabel 'guidance scale w'\nset ylabel 'E[1/p(c|Y^w)]'\n"
         "set title sprintf('Reciprocal classifier probability against w (ODE, %s)', ARG1) noenhanced\n"
         "plot 'versus_w.dat' u 1:2 w lp pt 7 t 'E[1/p(c|Y^w)]'\n",
         sc.name);
    plot(dir, "degraded_vs_w",
         "set logscale x\nset xlabel 'guidance scale w'\nset ylabel 'P(p(c|Y^w) < p(c|Y^0))'\nset yrange "
         "[0:1]\n"
         "set title sprintf('Degraded fraction against w (ODE coupling, %s)', ARG1) noenhanced\n"
         "plot 'versus_w.dat' u 1:3 w lp pt 7 t 'degraded fraction'\n",
         sc.name);
    data["versus_w"] = {{"columns", {"w", "E_reciprocal_p", "degraded_fraction"}}, {"rows", rows}};
    figs.push_back({"metric_vs_w.svg",
                    "E[1/p(c|Y^w)] against w under the probability-flow ODE (deterministic, by "
                    "characteristics over the endpoint)."});
    figs.push_back({"degraded_vs_w.svg",
                    "Fraction of start points whose p(c|Y) is lowered by guidance: guidance "
                    "improves the average, not every sample (T3)."});
  }
  {
    // law of p(c|Y^w) for w = 0 and 1: push the start law's quadrature nodes
    // through the ODE map and histogram p(c|Y) with the nodes' weights
    const GuidedScore<double> end(problem, proc, sc.early_stop);
    const auto start = MixtureMarginal<double>::of(problem.target().at_time(proc, sc.ou_horizon));
    std::vector<std::vector<double>> h(2, std::vector<double>(kProbabilityBins, 0.0));
    const int nodes = 4000;
    const double lo = -8, hi = 8, dy = (hi - lo) / nodes;
    std::vector<double> y0s;
    for (int i = 0; i < nodes; ++i) y0s.push_back(lo + (i + 0.5) * dy);
    for (int wi = 0; wi < 2; ++wi) {
      const auto ends = oc.flow_all(y0s, wi);
      for (int i = 0; i < nodes; ++i) {
        Vector<double> v(1);
        v(0) = y0s[static_cast<std::size_t>(i)];
        const double weight = std::exp(start.log_density(v)) * dy;
        v(0) = ends[static_cast<std::size_t>(i)];
        const double p = std::exp(-end.log_metric(v));  // CFG: phi = 1 / p(c|y)
        h[static_cast<std::size_t>(wi)][static_cast<std::size_t>(probability_bin(p))] += weight;
      }
    }
    plot_classifier_distribution(dir, h, "probability", "ODE", sc.name);
    data["classifier_distribution"] = {{"bin_centres",
                                        [&] {
                                          std::vector<double> c;
                                          for (int b = 0; b < kProbabilityBins; ++b)
                                            c.push_back(probability_bin_centre(b));
                                          return c;
                                        }()},
                                       {"w0", h[0]},
                                       {"w1", h[1]}};
    figs.push_back({"classifier_distribution.svg",
                    "Distribution of p(c|Y) at the end of the ODE sampler for w = 0 "
                    "and w = 1 (start law on a 4000-point midpoint grid over [-8, 8])."});
  }
  return figs;
}

}  // namespace gdverify::reports
