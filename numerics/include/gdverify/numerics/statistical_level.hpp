// The level at which every statistical assertion of gdverify is judged
// (docs/theory.md section 3, Monte Carlo oracle).
#pragma once

namespace gdverify::numerics {

/// Every statistical assertion of the Monte Carlo checks and tests is judged
/// at two-sided level kStatisticalAlpha, so that up to kBudgetedAssertions of
/// them in one CI run keep the false-failure probability below 1e-6
/// (THEORY.md section 5). Seeds are fixed, so a run is reproducible; the budget
/// bounds the chance that the fixed seeds happen to be unlucky ones.
inline constexpr double kFalseFailureBudget = 1e-6;
inline constexpr int kBudgetedAssertions = 256;
inline constexpr double kStatisticalAlpha = kFalseFailureBudget / kBudgetedAssertions;

}  // namespace gdverify::numerics
