#include "gdverify/reports/compare.hpp"

#include <fmt/format.h>

#include <cmath>
#include <map>
#include <stdexcept>

namespace gdverify::reports {
namespace {

std::map<std::string, const nlohmann::json*> index_checks(const nlohmann::json& doc,
                                                          const std::string& which) {
  if (!doc.is_object() || !doc.contains("schema") || doc["schema"] != 1)
    throw std::invalid_argument(which + ".schema: expected a gdverify result with \"schema\": 1");
  if (!doc.contains("checks") || !doc["checks"].is_array())
    throw std::invalid_argument(which + ".checks: expected an array");
  std::map<std::string, const nlohmann::json*> out;
  for (const auto& c : doc["checks"]) {
    if (!c.contains("name") || !c["name"].is_string() || !c.contains("verdict"))
      throw std::invalid_argument(which + ".checks[]: every check needs a name and a verdict");
    if (!out.emplace(c["name"].get<std::string>(), &c).second)
      throw std::invalid_argument(which + ".checks[]: two checks are named " + c["name"].get<std::string>());
  }
  return out;
}

bool parse_number(const nlohmann::json& v, double& out) {
  if (v.is_number()) {
    out = v.get<double>();
    return true;
  }
  if (!v.is_string()) return false;
  const std::string s = v.get<std::string>();
  char* end = nullptr;
  out = std::strtod(s.c_str(), &end);
  return end != s.c_str() && *end == '\0';
}

/// Equal within the tolerances; NaN equals NaN and an infinity equals itself,
/// so that comparing a result with itself always agrees.
bool agrees(double x, double y, double rtol, double atol) {
  if (std::isnan(x) || std::isnan(y)) return std::isnan(x) && std::isnan(y);
  if (std::isinf(x) || std::isinf(y)) return x == y;
  return std::abs(x - y) <= atol + rtol * std::abs(y);
}

}  // namespace

bool Comparison::passed() const {
  for (const auto& d : differences)
    if (d.failing) return false;
  return true;
}

std::string Comparison::table() const {
  std::string out = fmt::format("{} checks compared, {} differences\n", compared, differences.size());
  if (differences.empty()) return out;
  std::size_t w = 5;
  for (const auto& d : differences) w = std::max(w, d.check.size());
  out +=
      fmt::format("{:<{}}  {:<9}  {:>24}  {:>24}  {}\n", "check", w, "field", "result", "baseline", "status");
  for (const auto& d : differences)
    out += fmt::format("{:<{}}  {:<9}  {:>24}  {:>24}  {}\n", d.check, w, d.field, d.result, d.baseline,
                       d.failing ? "FAIL" : "info");
  return out;
}

namespace {
Comparison compare_checked(const nlohmann::json& result, const nlohmann::json& baseline, double rtol,
                           double atol);
}

Comparison compare_results(const nlohmann::json& result, const nlohmann::json& baseline, double rtol,
                           double atol) {
  // A document of the wrong shape (a verdict that is an array, a name that is
  // a number) is bad input, reported as such, never a crash.
  try {
    return compare_checked(result, baseline, rtol, atol);
  } catch (const nlohmann::json::exception& e) {
    throw std::invalid_argument(std::string("not a gdverify result of schema 1: ") + e.what());
  }
}

namespace {
Comparison compare_checked(const nlohmann::json& result, const nlohmann::json& baseline, double rtol,
                           double atol) {
  if (!(rtol >= 0) || !(atol >= 0)) throw std::invalid_argument("rtol/atol: must be >= 0");
  const auto res = index_checks(result, "result");
  const auto base = index_checks(baseline, "baseline");
  Comparison cmp;
  for (const auto& [name, b] : base) {
    const auto it = res.find(name);
    if (it == res.end()) {
      cmp.differences.push_back({name, "presence", "missing", "present", true});
      continue;
    }
    ++cmp.compared;
    const auto& r = *it->second;
    if (r["verdict"] != (*b)["verdict"])
      cmp.differences.push_back({name, "verdict", r["verdict"].dump(), (*b)["verdict"].dump(), true});
    for (const char* field : {"lhs", "rhs"}) {
      if (!b->contains(field) || !r.contains(field)) continue;
      double x = 0, y = 0;
      if (!parse_number(r[field], x) || !parse_number((*b)[field], y)) {
        if (r[field] != (*b)[field])
          cmp.differences.push_back({name, field, r[field].dump(), (*b)[field].dump(), true});
        continue;
      }
      if (!agrees(x, y, rtol, atol))
        cmp.differences.push_back({name, field, fmt::format("{:.17g}", x), fmt::format("{:.17g}", y), true});
    }
  }
  for (const auto& [name, r] : res)
    if (!base.count(name)) cmp.differences.push_back({name, "presence", "present", "missing", false});
  return cmp;
}
}  // namespace

}  // namespace gdverify::reports
