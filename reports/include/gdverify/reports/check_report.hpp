// Renderings of check results: the terminal table, JSON (schema 1), JUnit
// XML, and a Markdown summary fit for a CI job summary.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "gdverify/numerics/check.hpp"

namespace gdverify::reports {

/// {"schema": 1, "checks": [{"name", "verdict", "residual", "tolerance", "seconds", ...}]}
nlohmann::json checks_json(const std::vector<numerics::CheckResult>& results);
/// Fixed-width table: name, residual, tolerance, verdict, seconds.
std::string checks_table(const std::vector<numerics::CheckResult>& results);
std::string checks_markdown(const std::vector<numerics::CheckResult>& results);
std::string checks_junit(const std::vector<numerics::CheckResult>& results);

}  // namespace gdverify::reports
