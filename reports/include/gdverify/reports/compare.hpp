// Regression comparison of two check-result files (schema 1): every check of
// the baseline must be present in the result with the same verdict, and its
// numeric left/right sides must agree within |a - b| <= atol + rtol |b|.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace gdverify::reports {

struct Difference {
  std::string check;
  std::string field;
  std::string result;
  std::string baseline;
  bool failing = true;  ///< false for informational rows (a check new in the result)
};

struct Comparison {
  std::vector<Difference> differences;
  std::size_t compared = 0;
  [[nodiscard]] bool passed() const;
  [[nodiscard]] std::string table() const;
};

/// Throws std::invalid_argument (naming the field) when a document is not schema 1.
Comparison compare_results(const nlohmann::json& result, const nlohmann::json& baseline, double rtol,
                           double atol);

}  // namespace gdverify::reports
