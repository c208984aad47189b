// Renderings of check results: the terminal table, JSON (schema 1), JUnit
// XML, and a Markdown summary fit for a CI job summary.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "gdverify/checks/check.hpp"
#include "gdverify/checks/registry.hpp"

namespace gdverify::reports {

/// {"schema": 1, "checks": [{"name", "problem", "verdict", "residual", "tolerance", "seconds", ...}],
///  "not_run": [{"name", "problem", "reason"}]}
nlohmann::json checks_json(const std::vector<checks::CheckResult>& results,
                           const std::vector<checks::SkippedCheck>& not_run = {});
/// Fixed-width table: name, problem, residual, tolerance, verdict, seconds;
/// then the checks not run, grouped by reason.
std::string checks_table(const std::vector<checks::CheckResult>& results,
                         const std::vector<checks::SkippedCheck>& not_run = {});
std::string checks_markdown(const std::vector<checks::CheckResult>& results,
                            const std::vector<checks::SkippedCheck>& not_run = {});
/// Checks not run appear as <skipped> test cases whose message is the reason.
std::string checks_junit(const std::vector<checks::CheckResult>& results,
                         const std::vector<checks::SkippedCheck>& not_run = {});
/// The checks not run, one line per reason: the reason, how many, and their
/// names (only the count for the suite and full-set reasons, which are long).
/// "enclosure [lower, upper] of ... (midpoint, radius; tolerance; method)" for a
/// result with an enclosure (certified, or failed on one); "" otherwise.
std::string enclosure_text(const checks::CheckResult& r);

std::string not_run_lines(const std::vector<checks::SkippedCheck>& not_run);

}  // namespace gdverify::reports
