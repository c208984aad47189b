#include "gdverify/numerics/check.hpp"

#include <iomanip>
#include <sstream>

namespace gdverify::numerics {

std::string format_significant(double v, int digits) {
  std::ostringstream os;
  os << std::setprecision(digits) << v;
  return os.str();
}

bool glob_match(const std::string& pattern, const std::string& text) {
  // iterative matcher with backtracking to the last '*'
  std::size_t p = 0, t = 0, star = std::string::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (star != std::string::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

std::vector<Check> select_checks(const std::vector<Check>& all, const std::vector<std::string>& patterns,
                                 bool full) {
  std::vector<Check> out;
  for (const auto& c : all) {
    if (!full && !c.in_default && patterns.empty()) continue;
    bool hit = patterns.empty();
    for (const auto& p : patterns) hit = hit || glob_match(p, c.name);
    if (hit) out.push_back(c);
  }
  return out;
}

}  // namespace gdverify::numerics
