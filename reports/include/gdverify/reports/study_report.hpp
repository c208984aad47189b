// Renderings of convergence studies: JSON objects and a terminal table
// (axis, errors per norm, fitted order with its interval).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "gdverify/convergence/convergence_study.hpp"

namespace gdverify::reports {

nlohmann::json study_json(const convergence::ConvergenceStudy& s);
std::string study_table(const convergence::ConvergenceStudy& s);

}  // namespace gdverify::reports
