#include "gdverify/numerics/format_significant.hpp"

#include <iomanip>
#include <sstream>

namespace gdverify::numerics {

std::string format_significant(double v, int digits) {
  std::ostringstream os;
  os << std::setprecision(digits) << v;
  return os.str();
}

}  // namespace gdverify::numerics
