// gdverify: the command-line tool. Subcommands:
//   check   run theorem checks (all, or by name/glob), table, exit 0/1
//   report  run the default check suite and write a report directory
//   assess  judge samples (.npy) or a score model against the exact law
//   compare, converge, eval (see --help)
// Exit status (README "Exit codes"):
//   0  every selected check passed (inconclusive ones too, unless --strict)
//   1  at least one check failed (never hidden by any other code)
//   2  bad input: scenario, options or output paths; nothing was run or written
//   3  no check failed, but one could not be computed (error), or with
//      --strict one was inconclusive
//   4  no check failed, but the outputs could not be written (none were)
//   128+n  ended by signal n (SIGINT, SIGTERM, SIGHUP): temporaries removed
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "gdverify/checks/model_assessment.hpp"
#include "gdverify/checks/registry.hpp"
#include "gdverify/checks/samples_assessment.hpp"
#include "gdverify/convergence/coupled_weak_error_study.hpp"
#include "gdverify/convergence/mixture_weak_order.hpp"
#include "gdverify/convergence/monte_carlo_study.hpp"
#include "gdverify/convergence/quadrature_precision_study.hpp"
#include "gdverify/convergence/weak_error_study.hpp"
#include "gdverify/numerics/monte_carlo_engine.hpp"
#include "gdverify/numerics/monte_carlo_estimators.hpp"
#include "gdverify/numerics/ode_characteristics.hpp"
#include "gdverify/numerics/samples_file.hpp"
#include "gdverify/numerics/scenario_file.hpp"
#include "gdverify/numerics/scenario_monte_carlo.hpp"
#include "gdverify/numerics/score_model.hpp"
#include "gdverify/numerics/torch_score_model.hpp"
#include "gdverify/reports/check_report.hpp"
#include "gdverify/reports/compare.hpp"
#include "gdverify/reports/convergence_report.hpp"
#include "gdverify/reports/evaluation.hpp"
#include "gdverify/reports/interrupt_cleanup.hpp"
#include "gdverify/reports/output_files.hpp"
#include "gdverify/reports/report.hpp"
#include "gdverify/reports/study_report.hpp"
#include "gdverify/theory/errors.hpp"

#ifndef GDVERIFY_VERSION
#define GDVERIFY_VERSION "unknown"
#endif

namespace {

/// s with every control character (C0, DEL, C1 as UTF-8) shown as \xNN, so
/// that a hostile key, path or name in a message cannot move the cursor, clear
/// the screen or fake a line.
std::string printable(const std::string& s) {
  std::string o;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    const bool c1 = c == 0xc2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
                    static_cast<unsigned char>(s[i + 1]) <= 0x9f;
    if (c < 0x20 || c == 0x7f || c1) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c1 ? static_cast<unsigned char>(s[++i]) : c);
      o += buf;
    } else {
      o += static_cast<char>(c);
    }
  }
  return o;
}

/// printable() line by line (the table's own newlines kept).
std::string printable_lines(const std::string& s) {
  std::string o;
  std::size_t a = 0;
  while (a < s.size()) {
    const auto b = s.find('\n', a);
    o += printable(s.substr(a, b == std::string::npos ? std::string::npos : b - a));
    if (b == std::string::npos) break;
    o += '\n';
    a = b + 1;
  }
  return o;
}

using gdverify::checks::Check;
using gdverify::checks::CheckResult;

/// Runs the checks, with a progress line on stderr when it is a terminal. A
/// check that throws gets the verdict `error` and the run goes on.
std::vector<CheckResult> run_checks(const std::vector<Check>& checks) {
  const bool tty = isatty(STDERR_FILENO) != 0;
  std::vector<CheckResult> out;
  for (std::size_t i = 0; i < checks.size(); ++i) {
    if (tty)
      std::cerr << "\r\033[K[" << i + 1 << "/" << checks.size() << "] " << checks[i].name << std::flush;
    out.push_back(gdverify::checks::run_check(checks[i]));
  }
  if (tty) std::cerr << "\r\033[K" << std::flush;
  return out;
}

/// The exit status of a run whose checks gave `r` (see the file comment).
int verdict_status(const std::vector<CheckResult>& r, bool strict) {
  using gdverify::checks::Verdict;
  bool fail = false, error = false, inconclusive = false;
  for (const auto& c : r) {
    fail = fail || c.verdict == Verdict::fail;
    error = error || c.verdict == Verdict::error;
    inconclusive = inconclusive || c.verdict == Verdict::inconclusive;
  }
  if (fail) return 1;
  if (error || (strict && inconclusive)) return 3;
  return 0;
}

/// Commits the staged outputs; on failure says why and returns 4 (1 if a
/// check failed, which is never hidden).
int commit_outputs(gdverify::reports::OutputSet& outputs, int status) {
  try {
    outputs.commit();
  } catch (const std::exception& e) {
    std::cerr << "gdverify: outputs not written (none were): " << printable(e.what()) << "\n";
    return status == 1 ? 1 : 4;
  }
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  // Before any thread starts: SIGINT/SIGTERM/SIGHUP go to the cleanup thread.
  gdverify::reports::install_interrupt_cleanup();
  CLI::App app{
      "gdverify: numerical verification of the theorems on guided diffusion models\n"
      "(arXiv 2505.01382 and 2512.04985; statements in docs/theory.md)"};
  app.set_version_flag("--version", std::string("gdverify ") + GDVERIFY_VERSION);
  app.require_subcommand(1);

  auto* check =
      app.add_subcommand("check", "Run theorem checks and print a table; exit 0 if all pass, 1 otherwise");
  std::vector<std::string> patterns;
  bool full = false, list = false, strict = false;
  std::string json_path, junit_path, markdown_path;
  check->add_option("patterns", patterns, "Check names or globs (e.g. 'L1b.*'); default: the default set");
  check->add_flag("--full", full, "Run the full set, not only the default one");
  check->add_flag("--list", list, "List the selected checks without running them");
  check->add_flag("--strict", strict, "Exit 3 when a check is inconclusive (default: only fail/error count)");
  std::string suite_option;
  check
      ->add_option(
          "--suite", suite_option,
          "Which problems: scenario (the scenario's own), built-in (gdverify's benchmark problems) or "
          "all; default: scenario with --scenario, all without")
      ->check(CLI::IsMember({"scenario", "built-in", "all"}));
  check->add_option("--json", json_path, "Write results as JSON (schema 1) to this file");
  check->add_option("--junit", junit_path, "Write results as JUnit XML to this file");
  check->add_option("--markdown", markdown_path, "Write a Markdown summary to this file");
  std::string scenario_path;
  check->add_option("--scenario", scenario_path,
                    "Scenario file (TOML, see docs/scenario.md); default: built in");

  auto* report = app.add_subcommand("report", "Run the default check suite and write a report directory");
  std::string out_dir = "gdverify-report";
  report->add_option(
      "--out", out_dir,
      "Report directory: created, or replaced atomically if it is an earlier gdverify report or empty");
  std::vector<std::string> report_patterns;
  report->add_option("patterns", report_patterns, "Check names or globs; default: the default set");
  report->add_flag("--full", full, "Run the full check set");
  report->add_flag("--strict", strict, "Exit 3 when a check is inconclusive");
  report->add_option("--suite", suite_option, "scenario, built-in or all (as for check)")
      ->check(CLI::IsMember({"scenario", "built-in", "all"}));
  bool no_figures = false;
  report->add_flag("--no-figures", no_figures, "Skip the SVG figures (faster)");
  report->add_option("--scenario", scenario_path, "Scenario file (TOML); default: built in");

  auto* compare = app.add_subcommand(
      "compare", "Compare a result JSON against a baseline JSON; exit 0 if they agree, 1 otherwise");
  std::string result_path, baseline_path;
  double rtol = 1e-9, atol = 0;
  compare->add_option("result", result_path, "Result file (gdverify check --json)")->required();
  compare->add_option("baseline", baseline_path, "Baseline file (same schema)")->required();
  compare->add_option("--rtol", rtol, "Relative tolerance on deterministic quantities (default 1e-9)");
  compare->add_option("--atol", atol, "Absolute tolerance on deterministic quantities (default 0)");
  bool allow_new = false;
  compare->add_flag("--allow-new", allow_new, "Checks and quantities new in the result are not differences");

  auto* converge = app.add_subcommand(
      "converge",
      "Run the convergence studies of the scenario's own problem where one exists (exact Gaussian or "
      "exact discrete laws) and of the built-in problems: weak error against N per sampler and schedule, "
      "quadrature error against precision, Monte Carlo error against paths");
  std::string converge_json;
  std::string converge_form = "reward";
  converge->add_option("--json", converge_json, "Write the studies as JSON to this file");
  converge->add_option("--form", converge_form, "Built-in Gaussian problem: reward or cfg-pair")
      ->check(CLI::IsMember({"reward", "cfg-pair"}));
  std::string converge_suite;
  converge
      ->add_option(
          "--suite", converge_suite,
          "scenario (its own problem), built-in or all; default: scenario with --scenario, all without")
      ->check(CLI::IsMember({"scenario", "built-in", "all"}));
  converge->add_option("--scenario", scenario_path, "Scenario file (its schedules are used)");

  auto* eval = app.add_subcommand(
      "eval",
      "Print E[phi], E[log phi], coupled differences and improved fractions per sampler and w as JSON");
  eval->add_option("--scenario", scenario_path, "Scenario file (TOML); default: built in");
  long eval_paths = 0;
  eval->add_option("--paths", eval_paths, "Monte Carlo paths (default: the scenario's monte_carlo.paths)")
      ->check(CLI::Range(1L, gdverify::numerics::kMaxPaths));

  auto* assess = app.add_subcommand(
      "assess",
      "Judge your own sampler's samples (--samples DIR of w_<w>.npy / gamma_<g>.npy) or a score model "
      "(--model) "
      "against the scenario's exact law (docs/models.md, docs/theory.md section 5); exit as for check");
  std::string samples_dir, model_name, assess_form, assess_sampler;
  int assess_steps = 0;
  bool coupled = false;
  long assess_paths = 0;
  long energy_points = 500;
  double tv_tolerance = 0.05;
  assess->add_option("--samples", samples_dir,
                     "Directory of w_<w>.npy or gamma_<g>.npy arrays (n x d, float64/32)");
  assess
      ->add_option(
          "--model", model_name,
          "Built-in score model to judge: exact (the closed form; a correct model) or exact-eps (the same, "
          "given as a noise prediction eps = -sigma_t s)")
      ->check(CLI::IsMember({"exact", "exact-eps"}));
  std::string score_model_path, tilted_model_path, parameterisation = "score";
  bool model_float64 = false;
  assess->add_option(
      "--score-model", score_model_path,
      "TorchScript network forward(x[n,d], t[n], c[n]) -> [n,d] (c = -1: unconditional; docs/models.md)");
  assess->add_option("--tilted-model", tilted_model_path,
                     "TorchScript network of the reward-tilted score s^r (reward form), called with c = -1");
  assess
      ->add_option("--parameterisation", parameterisation,
                   "What the networks return: score (the default), or epsilon (s = -eps/sigma_t)")
      ->check(CLI::IsMember({"score", "epsilon"}));
  assess->add_flag("--float64", model_float64, "Feed the networks float64 tensors (default float32)");
  assess->add_option("--form", assess_form, "cfg or reward (default: the first of guidance.kind)")
      ->check(CLI::IsMember({"cfg", "reward"}));
  assess->add_option(
      "--sampler", assess_sampler,
      "Samples: the sampler that made them (default: the first of samplers.names); model: the only "
      "sampler to run (default: all of samplers.names)");
  assess
      ->add_option("--steps", assess_steps,
                   "Samples: the sampler's N (default: the largest of samplers.steps)")
      ->check(CLI::Range(1, static_cast<int>(gdverify::numerics::ScenarioLimits::steps)));
  assess->add_flag("--coupled", coupled,
                   "Samples: row i of every file shares start and noise (needs w_0.npy)");
  assess
      ->add_option("--paths", assess_paths,
                   "Model: paths (default: monte_carlo.paths); samples: reference paths")
      ->check(CLI::Range(1L, gdverify::numerics::kMaxPaths));
  assess
      ->add_option("--energy-points", energy_points,
                   "Samples: points of each side in the energy test (default 500; its cost grows as the "
                   "square, times 999 permutations)")
      ->check(CLI::Range(2L, gdverify::checks::kMaxEnergyPoints));
  assess->add_option("--tv", tv_tolerance, "Model: the path-law TV its score error may cost (default 0.05)")
      ->check(CLI::Range(1e-6, 0.5));
  assess->add_flag("--strict", strict, "Exit 3 when a check is inconclusive");
  assess->add_option("--json", json_path, "Write results as JSON (schema 1) to this file");
  assess->add_option("--junit", junit_path, "Write results as JUnit XML to this file");
  assess->add_option("--markdown", markdown_path, "Write a Markdown summary to this file");
  assess->add_option("--scenario", scenario_path, "Scenario file (TOML); default: built in");

  // CLI11 reads a lone "[]" or "{}" as an empty list and drops it: as a check
  // pattern it matches nothing, which is an error (exit 2), not "the default set".
  for (int i = 1; i < argc; ++i)
    if (std::string(argv[i]) == "[]" || std::string(argv[i]) == "{}") {
      std::cerr << "gdverify: no check matches '" << argv[i] << "' (patterns are globs with * and ?)\n";
      return 2;
    }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }

  try {
    namespace gr = gdverify::reports;
    // The scenario is read and validated completely, and every output path is
    // validated, before any work starts.
    bool scenario_given = false;
    for (auto* cmd : {check, report, converge, eval, assess})
      scenario_given = scenario_given || cmd->count("--scenario") > 0;
    if (scenario_given && scenario_path.empty())
      throw gdverify::numerics::ScenarioError("--scenario", 0, "(file)", "empty path (an unset variable?)");
    const auto scenario = scenario_path.empty() ? gdverify::numerics::default_scenario()
                                                : gdverify::numerics::load_scenario(scenario_path);
    std::vector<gr::OutputTarget> targets;
    // An option given with an empty value is an error, not "no output".
    auto plan = [&](CLI::App* cmd, const std::string& option, const std::string& path, gr::OutputKind kind) {
      if (cmd->count(option) > 0 || !path.empty()) targets.push_back(gr::plan_output(option, path, kind));
    };
    if ((check->parsed() && !list) || assess->parsed()) {
      CLI::App* cmd = check->parsed() ? check : assess;
      plan(cmd, "--json", json_path, gr::OutputKind::file);
      plan(cmd, "--junit", junit_path, gr::OutputKind::file);
      plan(cmd, "--markdown", markdown_path, gr::OutputKind::file);
    }
    if (converge->parsed()) plan(converge, "--json", converge_json, gr::OutputKind::file);
    if (report->parsed())
      targets.push_back(gr::plan_output("--out", out_dir, gr::OutputKind::report_directory));
    gr::require_distinct(targets);
    auto target_of = [&](const std::string& option) -> const gr::OutputTarget& {
      for (const auto& t : targets)
        if (t.option == option) return t;
      throw std::logic_error("no output planned for " + option);
    };
    if (compare->parsed()) {
      auto read = [](const std::string& path) {
        if (!std::filesystem::exists(path)) throw std::invalid_argument(path + ": no such file");
        if (!std::filesystem::is_regular_file(path))
          throw std::invalid_argument(path + ": not a regular file");
        if (std::filesystem::file_size(path) > (std::uintmax_t{1} << 28))
          throw std::invalid_argument(path + ": larger than 256 MiB, not a gdverify result");
        std::ifstream in(path);
        if (!in) throw std::invalid_argument(path + ": cannot open");
        try {
          return nlohmann::json::parse(in);
        } catch (const nlohmann::json::exception& e) {
          throw std::invalid_argument(path + ": not JSON: " + e.what());
        }
      };
      const auto cmp =
          gdverify::reports::compare_results(read(result_path), read(baseline_path), rtol, atol, allow_new);
      std::cout << printable_lines(cmp.table());
      return cmp.passed() ? 0 : 1;
    }
    if (converge->parsed()) {
      nlohmann::json studies = nlohmann::json::array();
      std::vector<std::string> skipped;
      const auto suite = gdverify::checks::parse_suite(
          !converge_suite.empty() ? converge_suite : (scenario_path.empty() ? "all" : "scenario"));
      for (const auto& ps : gr::convergence_studies(scenario, suite, converge_form, skipped)) {
        std::cout << "problem: " << ps.problem << "\n" << printable_lines(gr::study_table(ps.study)) << "\n";
        auto j = gr::study_json(ps.study);
        j["problem"] = ps.problem;
        studies.push_back(j);
      }
      for (const auto& line : skipped) std::cout << "not run: " << line << "\n";
      if (!converge_json.empty()) {
        gr::OutputSet outputs;
        outputs.add_file(target_of("--json"), nlohmann::json{{"_generator", std::string(gr::kOutputMarker) +
                                                                                " " + GDVERIFY_VERSION},
                                                             {"schema", 1},
                                                             {"studies", studies},
                                                             {"not_run", skipped}}
                                                      .dump(2) +
                                                  "\n");
        return commit_outputs(outputs, 0);
      }
      return 0;
    }
    if (assess->parsed()) {
      namespace gn = gdverify::numerics;
      if (static_cast<int>(!samples_dir.empty()) + static_cast<int>(!model_name.empty()) +
              static_cast<int>(!score_model_path.empty()) !=
          1)
        throw gdverify::InvalidParameter(
            "--samples", "give exactly one of --samples DIR, --model NAME and --score-model FILE");
      if (!tilted_model_path.empty() && score_model_path.empty())
        throw gdverify::InvalidParameter("--tilted-model", "goes with --score-model");
      const std::string form = gn::form_or_first(scenario, assess_form);
      if (!score_model_path.empty() && form == "reward" && tilted_model_path.empty())
        throw gdverify::InvalidParameter(
            "--tilted-model", "the reward form needs the reward-tilted network (--tilted-model FILE)");
      if (!tilted_model_path.empty() && form != "reward")
        throw gdverify::InvalidParameter("--tilted-model",
                                         "is the reward form's network; the form is " + form);
      if (!samples_dir.empty() && (!parameterisation.empty() && assess->count("--parameterisation") > 0))
        throw gdverify::InvalidParameter("--parameterisation", "applies to --score-model, not to samples");
      std::vector<Check> checks;
      if (!samples_dir.empty()) {
        gdverify::checks::SamplesAssessmentOptions o;
        o.sampler = assess_sampler.empty() ? scenario.samplers.front()
                                           : gn::parse_sampler(assess_sampler, "--sampler");
        o.steps = assess_steps;
        o.coupled = coupled;
        o.reference_paths = assess_paths;
        o.energy_subsample = energy_points;
        checks = gdverify::checks::samples_checks(
            scenario, form, gn::read_samples_directory(samples_dir, scenario.dimension), o);
      } else {
        const auto schedule = gdverify::checks::primary_schedule(scenario);
        const auto proc = scenario.process<double>(schedule);
        std::shared_ptr<const gn::ScoreModel> model;
        if (!score_model_path.empty()) {
          model = std::make_shared<gn::TorchScoreModel>(score_model_path, tilted_model_path,
                                                        scenario.dimension, !model_float64);
          if (parameterisation == "epsilon") model = std::make_shared<gn::NoisePredictionModel>(model, proc);
        } else {
          model = std::make_shared<gn::ExactScoreModel>(gn::scenario_guidance_problem(scenario, form), proc);
        }
        if (model_name == "exact-eps")
          model = std::make_shared<gn::NoisePredictionModel>(
              std::make_shared<gn::ScoreAsNoisePrediction>(model, proc), proc);
        gdverify::checks::ModelAssessmentOptions o;
        o.paths = assess_paths;
        o.tv_tolerance = tv_tolerance;
        if (!assess_sampler.empty()) o.samplers = {gn::parse_sampler(assess_sampler, "--sampler")};
        checks = gdverify::checks::model_checks(scenario, form, model, o);
      }
      const auto results = run_checks(checks);
      const int status = verdict_status(results, strict);
      gr::OutputSet outputs;
      if (!json_path.empty())
        outputs.add_file(target_of("--json"), gr::checks_json(results, {}).dump(2) + "\n");
      if (!junit_path.empty()) outputs.add_file(target_of("--junit"), gr::checks_junit(results, {}));
      if (!markdown_path.empty()) outputs.add_file(target_of("--markdown"), gr::checks_markdown(results, {}));
      std::cout << printable_lines(gr::checks_table(results, {}));
      return commit_outputs(outputs, status);
    }
    if (eval->parsed()) {
      std::cout << gdverify::reports::evaluate_scenario(scenario, eval_paths).dump(2) << "\n";
      return 0;
    }
    if (check->parsed() || report->parsed()) {
      const auto& chosen = check->parsed() ? patterns : report_patterns;
      const auto suite = gdverify::checks::parse_suite(
          !suite_option.empty() ? suite_option : (scenario_path.empty() ? "all" : "scenario"));
      const auto plan = gdverify::checks::plan_checks(scenario, suite, chosen, full);
      const auto& selected = plan.run;
      if (list) {
        for (const auto& c : selected)
          std::cout << c.name << "  [" << c.problem << "]  " << c.description << "\n";
        std::cout << printable_lines(gr::not_run_lines(plan.skipped));
        return 0;
      }
      // A scenario that excludes every selected check is valid input: the
      // outputs are written with their not-run reasons, and nothing was
      // verified, which fails the run only under --strict (like inconclusive).
      if (selected.empty())
        std::cerr << "gdverify: no selected check runs on this scenario (reasons in the table); nothing was "
                     "verified"
                  << (strict ? ", which fails under --strict" : "") << "\n";
      const auto results = run_checks(selected);
      const int status = selected.empty() ? (strict ? 1 : 0) : verdict_status(results, strict);
      // Checks ran, but none passed or failed: nothing was verified either.
      if (!results.empty() && std::none_of(results.begin(), results.end(), [](const CheckResult& c) {
            return gdverify::checks::holds(c.verdict) || c.verdict == gdverify::checks::Verdict::fail;
          }))
        std::cerr << "gdverify: no check reached a verdict (every one is inconclusive or errored; reasons in "
                     "the table): nothing was verified"
                  << (strict ? "" : " (exit 0 without --strict)") << "\n";
      gr::OutputSet outputs;
      try {
        if (check->parsed()) {
          if (!json_path.empty())
            outputs.add_file(target_of("--json"), gr::checks_json(results, plan.skipped).dump(2) + "\n");
          if (!junit_path.empty())
            outputs.add_file(target_of("--junit"), gr::checks_junit(results, plan.skipped));
          if (!markdown_path.empty())
            outputs.add_file(target_of("--markdown"), gr::checks_markdown(results, plan.skipped));
        } else {
          outputs.add_directory(target_of("--out"), [&](const std::filesystem::path& tmp) {
            gr::fill_report(tmp, scenario, results, !no_figures, plan.skipped);
          });
        }
      } catch (const std::exception& e) {
        std::cout << printable_lines(gr::checks_table(results, plan.skipped));
        std::cerr << "gdverify: outputs not written (none were): " << printable(e.what()) << "\n";
        return status == 1 ? 1 : 4;
      }
      std::cout << printable_lines(gr::checks_table(results, plan.skipped));
      const int final_status = commit_outputs(outputs, status);
      if (report->parsed() && final_status != 4)
        std::cout << "report written to " << std::filesystem::absolute(target_of("--out").target).string()
                  << "/index.html\n";
      return final_status;
    }
  } catch (const gdverify::reports::OutputError& e) {
    std::cerr << "gdverify: invalid output: " << printable(e.what()) << "\n";
    return 2;
  } catch (const gdverify::numerics::ScenarioError& e) {
    std::cerr << "gdverify: invalid scenario: " << printable(e.what()) << "\n";
    return 2;
  } catch (const gdverify::InvalidParameter& e) {
    std::cerr << "gdverify: invalid parameter " << printable(e.what()) << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "gdverify: error: " << printable(e.what()) << "\n";
    return 2;
  }
  return 2;
}
