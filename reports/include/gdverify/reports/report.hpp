// The report directory: index.md, index.html, checks.json, checks.xml
// (JUnit), the scenario echoed as JSON, software versions, and SVG figures
// with the numbers behind them (figures.json).
#pragma once

#include <filesystem>
#include <vector>

#include <nlohmann/json.hpp>
#include "gdverify/checks/check.hpp"
#include "gdverify/checks/registry.hpp"
#include "gdverify/numerics/scenario.hpp"

namespace gdverify::reports {

/// JSON echo of a scenario (every field, defaults included).
nlohmann::json scenario_json(const numerics::Scenario& s);

/// Library versions compiled in (Boost, Eigen, MPFR, compiler).
nlohmann::json software_versions();

/// Writes the report's files into the (temporary, private) directory `tmp`;
/// with `figures`, also the SVG figures of figures.hpp and their numbers
/// (figures.json). Used with OutputSet::add_directory.
void fill_report(const std::filesystem::path& tmp, const numerics::Scenario& scenario,
                 const std::vector<checks::CheckResult>& results, bool figures = true,
                 const std::vector<checks::SkippedCheck>& not_run = {});

/// Plans, stages and commits a report directory in one call (output_files.hpp:
/// only an absent, empty or gdverify-marked directory is replaced).
void write_report(const std::filesystem::path& dir, const numerics::Scenario& scenario,
                  const std::vector<checks::CheckResult>& results, bool figures = true,
                  const std::vector<checks::SkippedCheck>& not_run = {});

}  // namespace gdverify::reports
