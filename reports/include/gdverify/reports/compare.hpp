// Regression comparison of two check-result files (schema 1). Every check of
// the baseline must be present in the result with the same verdict, and each
// quantity it publishes is judged by its kind: a statistical estimate by a
// two-sided z-test on both standard errors at the level stated in the
// result file; a deterministic number by |a - b| <= atol + rtol |b|; a
// rounding-level residual is noise while both sides lie within their own
// tolerance scale, and deterministic otherwise. A check new in the result is
// a difference too, unless new checks are allowed. Files without quantities
// (older results) are compared on their numeric left/right sides.
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
                           double atol, bool allow_new = false);

}  // namespace gdverify::reports
