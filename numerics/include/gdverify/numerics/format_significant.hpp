// Human-readable numbers for check results, messages and reports.
#pragma once

#include <string>

namespace gdverify::numerics {

/// v with `digits` significant digits (std::ostream's default float format).
std::string format_significant(double v, int digits);

}  // namespace gdverify::numerics
