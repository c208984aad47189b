#include "gdverify/reports/check_report.hpp"

#include <fmt/format.h>

#include "markup_escape.hpp"

namespace gdverify::reports {

using numerics::CheckResult;
using numerics::Verdict;

nlohmann::json checks_json(const std::vector<CheckResult>& results) {
  nlohmann::json checks = nlohmann::json::array();
  for (const auto& r : results) {
    nlohmann::json j = {{"name", r.name},
                        {"description", r.description},
                        {"verdict", numerics::verdict_name(r.verdict)},
                        {"residual", r.residual},
                        {"tolerance", r.tolerance},
                        {"seconds", r.seconds},
                        {"lhs", r.lhs},
                        {"rhs", r.rhs},
                        {"scalar", r.scalar},
                        {"digits", r.digits}};
    if (!r.details.empty()) j["details"] = r.details;
    checks.push_back(j);
  }
  return {{"schema", 1}, {"checks", checks}};
}

std::string checks_table(const std::vector<CheckResult>& results) {
  std::size_t width = 5;
  for (const auto& r : results) width = std::max(width, r.name.size());
  std::string out = fmt::format("{:<{}}  {:>10}  {:>10}  {:<7}  {:>8}\n", "check", width, "residual",
                                "tolerance", "verdict", "seconds");
  int failed = 0;
  double total = 0;
  for (const auto& r : results) {
    out += fmt::format("{:<{}}  {:>10.3e}  {:>10.3e}  {:<7}  {:>8.2f}\n", r.name, width, r.residual,
                       r.tolerance, r.verdict == Verdict::pass ? "pass" : "FAIL", r.seconds);
    failed += r.verdict == Verdict::fail;
    total += r.seconds;
  }
  out += fmt::format("{} passed, {} failed ({:.1f} s)\n", results.size() - static_cast<std::size_t>(failed),
                     failed, total);
  return out;
}

std::string checks_markdown(const std::vector<CheckResult>& results) {
  int failed = 0;
  for (const auto& r : results) failed += r.verdict == Verdict::fail;
  std::string out =
      fmt::format("## gdverify checks: {} of {} passed\n\n", results.size() - failed, results.size());
  out += "| check | residual | tolerance | verdict | seconds |\n|---|---:|---:|---|---:|\n";
  for (const auto& r : results)
    out += fmt::format("| `{}` | {:.3e} | {:.3e} | {} | {:.2f} |\n", r.name, r.residual, r.tolerance,
                       r.verdict == Verdict::pass ? "pass" : "**FAIL**", r.seconds);
  return out;
}

std::string checks_junit(const std::vector<CheckResult>& results) {
  int failed = 0;
  double total = 0;
  for (const auto& r : results) {
    failed += r.verdict == Verdict::fail;
    total += r.seconds;
  }
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format("<testsuites tests=\"{}\" failures=\"{}\" time=\"{:.3f}\">\n", results.size(), failed,
                     total);
  out += fmt::format("  <testsuite name=\"gdverify\" tests=\"{}\" failures=\"{}\" time=\"{:.3f}\">\n",
                     results.size(), failed, total);
  for (const auto& r : results) {
    const std::string stmt = r.name.substr(0, r.name.find('.'));
    out += fmt::format("    <testcase classname=\"gdverify.{}\" name=\"{}\" time=\"{:.3f}\"",
                       detail::markup_escape(stmt), detail::markup_escape(r.name), r.seconds);
    if (r.verdict == Verdict::pass) {
      out += "/>\n";
    } else {
      out += fmt::format(
          ">\n      <failure message=\"residual {:.3e} exceeds tolerance {:.3e}\">lhs {} rhs {}</failure>\n  "
          "  </testcase>\n",
          r.residual, r.tolerance, detail::markup_escape(r.lhs), detail::markup_escape(r.rhs));
    }
  }
  out += "  </testsuite>\n</testsuites>\n";
  return out;
}

}  // namespace gdverify::reports
