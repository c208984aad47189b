// gdverify: the command-line tool. Subcommands:
//   check   run theorem checks (all, or by name/glob), table, exit 0/1
//   report  run the default check suite and write a report directory
// Exit status: 0 every selected check passed, 1 a check failed, 2 bad input.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>

#include "gdverify/convergence/discretisation_checks.hpp"
#include "gdverify/numerics/degraded_set_checks.hpp"
#include "gdverify/numerics/exact_law_checks.hpp"
#include "gdverify/numerics/precision_checks.hpp"
#include "gdverify/numerics/scenario_file.hpp"
#include "gdverify/reports/atomic_output.hpp"
#include "gdverify/reports/check_report.hpp"
#include "gdverify/reports/report.hpp"
#include "gdverify/theory/errors.hpp"

#ifndef GDVERIFY_VERSION
#define GDVERIFY_VERSION "unknown"
#endif

namespace {

using gdverify::numerics::Check;
using gdverify::numerics::CheckResult;

/// Every registered check: the precision checks (L1a-c, T1 pointwise, CFG=R,
/// R2), T1 on the exact Gaussian laws, T3 on the 1-D ODE coupling, and T2
/// discretisation orders.
std::vector<Check> all_checks(const gdverify::numerics::Scenario& sc) {
  auto out = gdverify::numerics::precision_checks(sc);
  for (auto&& more : {gdverify::numerics::exact_law_checks(sc), gdverify::numerics::degraded_set_checks(sc),
                      gdverify::convergence::discretisation_checks(sc)})
    out.insert(out.end(), more.begin(), more.end());
  return out;
}

/// Runs the checks, with a progress line on stderr when it is a terminal.
std::vector<CheckResult> run_checks(const std::vector<Check>& checks) {
  const bool tty = isatty(STDERR_FILENO) != 0;
  std::vector<CheckResult> out;
  for (std::size_t i = 0; i < checks.size(); ++i) {
    if (tty)
      std::cerr << "\r\033[K[" << i + 1 << "/" << checks.size() << "] " << checks[i].name << std::flush;
    out.push_back(checks[i].run({}));
  }
  if (tty) std::cerr << "\r\033[K" << std::flush;
  return out;
}

bool all_passed(const std::vector<CheckResult>& r) {
  for (const auto& c : r)
    if (c.verdict != gdverify::numerics::Verdict::pass) return false;
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "gdverify: numerical verification of the theorems on guided diffusion models\n"
      "(arXiv 2505.01382 and 2512.04985; statements in THEORY.md)"};
  app.set_version_flag("--version", std::string("gdverify ") + GDVERIFY_VERSION);
  app.require_subcommand(1);

  auto* check =
      app.add_subcommand("check", "Run theorem checks and print a table; exit 0 if all pass, 1 otherwise");
  std::vector<std::string> patterns;
  bool full = false, list = false;
  std::string json_path, junit_path, markdown_path;
  check->add_option("patterns", patterns, "Check names or globs (e.g. 'L1b.*'); default: the default set");
  check->add_flag("--full", full, "Run the full set, not only the default one");
  check->add_flag("--list", list, "List the selected checks without running them");
  check->add_option("--json", json_path, "Write results as JSON (schema 1) to this file");
  check->add_option("--junit", junit_path, "Write results as JUnit XML to this file");
  check->add_option("--markdown", markdown_path, "Write a Markdown summary to this file");
  std::string scenario_path;
  check->add_option("--scenario", scenario_path,
                    "Scenario file (TOML, see docs/scenario.md); default: built in");

  auto* report = app.add_subcommand("report", "Run the default check suite and write a report directory");
  std::string out_dir = "gdverify-report";
  report->add_option("--out", out_dir, "Report directory (replaced atomically)");
  report->add_flag("--full", full, "Run the full check set");
  report->add_option("--scenario", scenario_path, "Scenario file (TOML); default: built in");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }

  try {
    // The scenario is read and validated completely before any work starts.
    const auto scenario = scenario_path.empty() ? gdverify::numerics::default_scenario()
                                                : gdverify::numerics::load_scenario(scenario_path);
    const auto checks = all_checks(scenario);
    if (check->parsed()) {
      const auto selected = gdverify::numerics::select_checks(checks, patterns, full);
      if (selected.empty()) {
        std::cerr << "gdverify check: no check matches";
        for (const auto& p : patterns) std::cerr << " '" << p << "'";
        std::cerr << "\n";
        return 2;
      }
      if (list) {
        for (const auto& c : selected) std::cout << c.name << "  " << c.description << "\n";
        return 0;
      }
      const auto results = run_checks(selected);
      std::cout << gdverify::reports::checks_table(results);
      if (!json_path.empty())
        gdverify::reports::write_file_atomically(json_path,
                                                 gdverify::reports::checks_json(results).dump(2) + "\n");
      if (!junit_path.empty())
        gdverify::reports::write_file_atomically(junit_path, gdverify::reports::checks_junit(results));
      if (!markdown_path.empty())
        gdverify::reports::write_file_atomically(markdown_path, gdverify::reports::checks_markdown(results));
      return all_passed(results) ? 0 : 1;
    }
    if (report->parsed()) {
      const auto results = run_checks(gdverify::numerics::select_checks(checks, {}, full));
      gdverify::reports::write_report(out_dir, scenario, results);
      std::cout << gdverify::reports::checks_table(results);
      std::cout << "report written to " << std::filesystem::absolute(out_dir).string() << "/index.html\n";
      return all_passed(results) ? 0 : 1;
    }
  } catch (const gdverify::numerics::ScenarioError& e) {
    std::cerr << "gdverify: invalid scenario: " << e.what() << "\n";
    return 2;
  } catch (const gdverify::InvalidParameter& e) {
    std::cerr << "gdverify: invalid parameter " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "gdverify: error: " << e.what() << "\n";
    return 2;
  }
  return 2;
}
