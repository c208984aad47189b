// Private: escaping text for XML and HTML output (& < > " become entities).
#pragma once

#include <string>

namespace gdverify::reports::detail {

inline std::string markup_escape(const std::string& s) {
  std::string o;
  for (char c : s) {
    switch (c) {
      case '&': o += "&amp;"; break;
      case '<': o += "&lt;"; break;
      case '>': o += "&gt;"; break;
      case '"': o += "&quot;"; break;
      default: o += c;
    }
  }
  return o;
}

}  // namespace gdverify::reports::detail
