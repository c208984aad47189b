#include "gdverify/reports/study_report.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace gdverify::reports {

nlohmann::json study_json(const convergence::ConvergenceStudy& s) {
  nlohmann::json fits = nlohmann::json::object();
  for (const auto& [norm, f] : s.fits)
    fits[norm] = {{"order", f.order},         {"lower", f.lower},           {"upper", f.upper},
                  {"std_error", f.std_error}, {"confidence", f.confidence}, {"points", f.points}};
  return {{"name", s.name},     {"axis_name", s.axis_name},  {"axis", s.axis},
          {"errors", s.errors}, {"seconds", s.seconds},      {"fits", fits},
          {"values", s.values}, {"parameters", s.parameters}};
}

std::string study_table(const convergence::ConvergenceStudy& s) {
  std::string out = s.name + "\n";
  for (const auto& [key, value] : s.parameters) out += "  " + key + ": " + value + "\n";
  out += "  axis: " + s.axis_name + "\n" + fmt::format("{:>10}", "axis");
  // Each column as wide as its full name (at least 20).
  for (const auto& [norm, e] : s.errors)
    out += fmt::format("  {:>{}}", norm, std::max<std::size_t>(20, norm.size()));
  out += "\n";
  for (std::size_t i = 0; i < s.axis.size(); ++i) {
    out += fmt::format("{:>10.6g}", s.axis[i]);
    for (const auto& [norm, e] : s.errors)
      out += fmt::format("  {:>{}.12g}", i < e.size() ? e[i] : 0.0, std::max<std::size_t>(20, norm.size()));
    out += "\n";
  }
  for (const auto& [norm, f] : s.fits)
    out += fmt::format("fitted order ({}): {:.4f}, {:.0f}% interval [{:.4f}, {:.4f}] over {} points\n", norm,
                       f.order, 100 * f.confidence, f.lower, f.upper, f.points);
  return out;
}

}  // namespace gdverify::reports
