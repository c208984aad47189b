#include "gdverify/reports/check_report.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "gdverify/numerics/statistical_level.hpp"
#include "gdverify/reports/output_files.hpp"
#include "markup_escape.hpp"

#ifndef GDVERIFY_VERSION
#define GDVERIFY_VERSION "unknown"
#endif

namespace gdverify::reports {

using checks::CheckResult;
using checks::Verdict;

nlohmann::json checks_json(const std::vector<CheckResult>& results,
                           const std::vector<checks::SkippedCheck>& not_run) {
  nlohmann::json checks = nlohmann::json::array();
  for (const auto& r : results) {
    nlohmann::json j = {{"name", r.name},
                        {"problem", r.problem},
                        {"description", r.description},
                        {"verdict", checks::verdict_name(r.verdict)},
                        {"residual", r.residual},
                        {"tolerance", r.tolerance},
                        {"seconds", r.seconds},
                        {"lhs", r.lhs},
                        {"rhs", r.rhs},
                        {"scalar", r.scalar},
                        {"digits", r.digits}};
    if (!r.details.empty()) j["details"] = r.details;
    if (r.enclosure)
      j["enclosure"] = {{"quantity", r.enclosure->quantity}, {"lower", r.enclosure->lower},
                        {"upper", r.enclosure->upper},       {"midpoint", r.enclosure->midpoint},
                        {"radius", r.enclosure->radius},     {"tolerance", r.tolerance},
                        {"method", r.enclosure->method}};
    nlohmann::json qs = nlohmann::json::array();
    for (const auto& q : r.quantities) {
      nlohmann::json jq = {
          {"name", q.name}, {"kind", checks::quantity_kind_name(q.kind)}, {"value", q.value}};
      if (q.kind == checks::QuantityKind::statistical) jq["std_error"] = q.std_error;
      if (q.kind == checks::QuantityKind::rounding) jq["scale"] = q.scale;
      qs.push_back(jq);
    }
    j["quantities"] = qs;
    checks.push_back(j);
  }
  nlohmann::json skipped = nlohmann::json::array();
  for (const auto& k : not_run)
    skipped.push_back({{"name", k.name}, {"problem", k.problem}, {"reason", k.reason}});
  return {{"_generator", std::string(kOutputMarker) + " " + GDVERIFY_VERSION},
          {"schema", 1},
          {"level", numerics::kStatisticalAlpha},
          {"checks", checks},
          {"not_run", skipped}};
}

std::string enclosure_text(const CheckResult& r) {
  if (!r.enclosure) return {};
  const auto& e = *r.enclosure;
  return fmt::format("enclosure [{}, {}] of {} (midpoint {:.3e}, radius {:.3e}; tolerance {:.3e}; {})",
                     e.lower, e.upper, e.quantity, e.midpoint, e.radius, r.tolerance, e.method);
}

namespace {

struct Counts {
  std::size_t certified = 0, pass = 0, fail = 0, inconclusive = 0, error = 0;
  double seconds = 0;
  explicit Counts(const std::vector<CheckResult>& results) {
    for (const auto& r : results) {
      certified += r.verdict == Verdict::certified;
      pass += r.verdict == Verdict::pass;
      fail += r.verdict == Verdict::fail;
      inconclusive += r.verdict == Verdict::inconclusive;
      error += r.verdict == Verdict::error;
      seconds += r.seconds;
    }
  }
  [[nodiscard]] std::string line() const {
    return fmt::format("{} certified, {} passed, {} failed, {} inconclusive, {} errors", certified, pass,
                       fail, inconclusive, error);
  }
};

/// The reason a check did not pass, for the table, JUnit and Markdown.
std::string why(const CheckResult& r) {
  if (auto it = r.details.find("error"); it != r.details.end()) return it->second;
  if (auto it = r.details.find("reason"); it != r.details.end()) return it->second;
  if (r.enclosure) return enclosure_text(r);
  return fmt::format("residual {:.3e} exceeds tolerance {:.3e}", r.residual, r.tolerance);
}

std::string shown_verdict(Verdict v) {
  switch (v) {
    case Verdict::pass: return "pass";
    case Verdict::fail: return "FAIL";
    case Verdict::inconclusive: return "inconclusive";
    case Verdict::error: return "ERROR";
    case Verdict::certified: return "certified";
  }
  return "ERROR";
}

}  // namespace

/// Not-run checks that are named even under a reason whose list is long.
constexpr std::size_t kNamedAlways = 3;

std::string not_run_lines(const std::vector<checks::SkippedCheck>& not_run) {
  std::vector<std::string> reasons;
  for (const auto& k : not_run)
    if (std::find(reasons.begin(), reasons.end(), k.reason) == reasons.end()) reasons.push_back(k.reason);
  std::string out;
  for (const auto& reason : reasons) {
    std::vector<std::string> names;
    for (const auto& k : not_run)
      if (k.reason == reason) names.push_back(k.name);
    const bool long_list = reason.starts_with("a built-in problem") ||
                           reason.starts_with("the scenario's own") || reason.starts_with("full set only");
    out += fmt::format("not run ({}): {}\n", names.size(), reason);
    // A long list (every check of the full set, say) is named by its reason
    // alone; a short one by its names too, whatever the reason.
    if (!long_list || names.size() <= kNamedAlways)
      for (const auto& n : names) out += "    " + n + "\n";
  }
  return out;
}

std::string checks_table(const std::vector<CheckResult>& results,
                         const std::vector<checks::SkippedCheck>& not_run) {
  std::size_t width = 5, pwidth = 7;
  for (const auto& r : results) {
    width = std::max(width, r.name.size());
    pwidth = std::max(pwidth, r.problem.size());
  }
  std::string out = fmt::format("{:<{}}  {:<{}}  {:>10}  {:>10}  {:<12}  {:>8}\n", "check", width, "problem",
                                pwidth, "residual", "tolerance", "verdict", "seconds");
  for (const auto& r : results) {
    out += fmt::format("{:<{}}  {:<{}}  {:>10.3e}  {:>10.3e}  {:<12}  {:>8.2f}\n", r.name, width, r.problem,
                       pwidth, r.residual, r.tolerance, shown_verdict(r.verdict), r.seconds);
    // Under the row: why it did not pass (a fail, error or inconclusive), the
    // enclosure of a certified one, and why a pass is not certified where the
    // check tried.
    if (r.verdict != Verdict::pass || r.enclosure)
      out += fmt::format("{:<{}}    {}\n", "", width, why(r));
    else if (auto it = r.details.find("not certified"); it != r.details.end())
      out += fmt::format("{:<{}}    not certified: {}\n", "", width, it->second);
  }
  const Counts n(results);
  out += fmt::format("{} ({:.1f} s)\n", n.line(), n.seconds);
  out += not_run_lines(not_run);
  return out;
}

std::string checks_markdown(const std::vector<CheckResult>& results,
                            const std::vector<checks::SkippedCheck>& not_run) {
  const Counts n(results);
  std::string out =
      fmt::format("<!-- {} {} -->\n## gdverify checks: {} of {} held ({} certified)\n\n{}\n\n", kOutputMarker,
                  GDVERIFY_VERSION, n.certified + n.pass, results.size(), n.certified, n.line());
  out += "| check | problem | residual | tolerance | verdict | seconds |\n|---|---|---:|---:|---|---:|\n";
  for (const auto& r : results)
    out += fmt::format("| `{}` | `{}` | {:.3e} | {:.3e} | {} | {:.2f} |\n", r.name, r.problem, r.residual,
                       r.tolerance,
                       r.verdict == Verdict::pass ? "pass"
                       : r.verdict == Verdict::certified
                           ? "**certified**: " + detail::markup_escape(why(r))
                           : "**" + shown_verdict(r.verdict) + "**: " + detail::markup_escape(why(r)),
                       r.seconds);
  if (!not_run.empty())
    out += "\n### Not run\n\n" + detail::markdown_code_block(not_run_lines(not_run), "text");
  return out;
}

std::string checks_junit(const std::vector<CheckResult>& results,
                         const std::vector<checks::SkippedCheck>& not_run) {
  const Counts n(results);
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- " + std::string(kOutputMarker) + " " +
                    GDVERIFY_VERSION + " -->\n";
  out += fmt::format(
      "<testsuites tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{:.3f}\">\n",
      results.size() + not_run.size(), n.fail, n.error, n.inconclusive + not_run.size(), n.seconds);
  out += fmt::format(
      "  <testsuite name=\"gdverify\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" "
      "time=\"{:.3f}\">\n",
      results.size() + not_run.size(), n.fail, n.error, n.inconclusive + not_run.size(), n.seconds);
  for (const auto& r : results) {
    const std::string stmt = r.name.substr(0, r.name.find('.'));
    out += fmt::format("    <testcase classname=\"gdverify.{}\" name=\"{}\" time=\"{:.3f}\"",
                       detail::markup_escape(stmt), detail::markup_escape(r.name), r.seconds);
    const char* element = r.verdict == Verdict::fail           ? "failure"
                          : r.verdict == Verdict::error        ? "error"
                          : r.verdict == Verdict::inconclusive ? "skipped"
                                                               : nullptr;
    if (element == nullptr && !r.enclosure) {
      out += "/>\n";
    } else if (element == nullptr) {  // certified: the enclosure as the test's output
      out += fmt::format(">\n      <system-out>certified: {}</system-out>\n    </testcase>\n",
                         detail::markup_escape(enclosure_text(r)));
    } else {
      // A fail on an enclosure carries the enclosure (its two 50-digit sides agree).
      out += fmt::format(
          ">\n      <{0} message=\"{1}\">{2}</{0}>\n    </testcase>\n", element,
          detail::markup_escape(why(r)),
          detail::markup_escape(r.enclosure ? enclosure_text(r) : "lhs " + r.lhs + " rhs " + r.rhs));
    }
  }
  for (const auto& k : not_run)
    out += fmt::format(
        "    <testcase classname=\"gdverify.{}\" name=\"{}\" time=\"0\">\n      <skipped message=\"not run: "
        "{}\"/>\n    </testcase>\n",
        detail::markup_escape(k.name.substr(0, k.name.find('.'))), detail::markup_escape(k.name),
        detail::markup_escape(k.reason));
  out += "  </testsuite>\n</testsuites>\n";
  return out;
}

}  // namespace gdverify::reports
