#include "gdverify/reports/compare.hpp"

#include <fmt/format.h>

#include <cmath>
#include <map>
#include <set>
#include <stdexcept>

#include "gdverify/numerics/monte_carlo_estimators.hpp"
#include "gdverify/numerics/statistical_level.hpp"

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
  std::set<std::string> in_checks;
  for (const auto& d : differences) in_checks.insert(d.check);
  std::string out = fmt::format("{} checks compared, {} differences in {} checks\n", compared,
                                differences.size(), in_checks.size());
  if (differences.empty()) return out;
  std::size_t w = 5;
  for (const auto& d : differences) w = std::max(w, d.check.size());
  std::size_t f = 5;
  for (const auto& d : differences) f = std::max(f, d.field.size());
  out += fmt::format("{:<{}}  {:<{}}  {:>24}  {:>24}  {}\n", "check", w, "field", f, "result", "baseline",
                     "status");
  for (const auto& d : differences)
    out += fmt::format("{:<{}}  {:<{}}  {:>24}  {:>24}  {}\n", d.check, w, d.field, f, d.result, d.baseline,
                       d.failing ? "FAIL" : "info");
  return out;
}

namespace {
Comparison compare_checked(const nlohmann::json& result, const nlohmann::json& baseline, double rtol,
                           double atol, bool allow_new);
}

Comparison compare_results(const nlohmann::json& result, const nlohmann::json& baseline, double rtol,
                           double atol, bool allow_new) {
  // A document of the wrong shape (a verdict that is an array, a name that is
  // a number) is bad input, reported as such, never a crash.
  try {
    return compare_checked(result, baseline, rtol, atol, allow_new);
  } catch (const nlohmann::json::exception& e) {
    throw std::invalid_argument(std::string("not a gdverify result of schema 1: ") + e.what());
  }
}

namespace {

struct Published {
  std::string kind;
  double value = 0, std_error = 0, scale = 0;
};

std::map<std::string, Published> quantities_of(const nlohmann::json& c, const std::string& which) {
  std::map<std::string, Published> out;
  for (const auto& q : c["quantities"]) {
    Published p;
    if (!q.contains("name") || !q["name"].is_string() || !q.contains("kind") || !q["kind"].is_string() ||
        !q.contains("value") || !parse_number(q["value"], p.value))
      throw std::invalid_argument(which +
                                  ".checks[].quantities[]: every quantity needs a name, a kind and a value");
    p.kind = q["kind"].get<std::string>();
    if (p.kind != "statistical" && p.kind != "deterministic" && p.kind != "rounding")
      throw std::invalid_argument(which + ".checks[].quantities[].kind: unknown kind \"" + p.kind + "\"");
    if (q.contains("std_error")) parse_number(q["std_error"], p.std_error);
    if (q.contains("scale")) parse_number(q["scale"], p.scale);
    out[q["name"].get<std::string>()] = p;
  }
  return out;
}

/// The level of a result file's statistical assertions ("level"; the
/// current level for files that do not state one).
double level_of(const nlohmann::json& doc) {
  double level = numerics::kStatisticalAlpha;
  if (doc.contains("level") && parse_number(doc["level"], level) && level > 0 && level < 1) return level;
  return numerics::kStatisticalAlpha;
}

Comparison compare_checked(const nlohmann::json& result, const nlohmann::json& baseline, double rtol,
                           double atol, bool allow_new) {
  if (!(rtol >= 0) || !(atol >= 0)) throw std::invalid_argument("rtol/atol: must be >= 0");
  const auto res = index_checks(result, "result");
  const auto base = index_checks(baseline, "baseline");
  const double z_crit = numerics::two_sided_normal_quantile(level_of(result));
  Comparison cmp;
  for (const auto& [name, b] : base) {
    const auto it = res.find(name);
    if (it == res.end()) {
      cmp.differences.push_back({name, "presence", "missing", "present", true});
      continue;
    }
    ++cmp.compared;
    const auto& r = *it->second;
    if (r["verdict"] != (*b)["verdict"]) {
      // pass and certified both say the statement held: a change between them
      // (a certification gained or lost) is reported, not a regression.
      const auto held = [](const nlohmann::json& v) { return v == "pass" || v == "certified"; };
      cmp.differences.push_back({name, "verdict", r["verdict"].dump(), (*b)["verdict"].dump(),
                                 !(held(r["verdict"]) && held((*b)["verdict"]))});
    }
    if (b->contains("quantities") && r.contains("quantities") && !(*b)["quantities"].empty()) {
      const auto qb = quantities_of(*b, "baseline"), qr = quantities_of(r, "result");
      for (const auto& [qname, y] : qb) {
        const auto qi = qr.find(qname);
        if (qi == qr.end()) {
          cmp.differences.push_back({name, qname, "missing", "present", true});
          continue;
        }
        const auto& x = qi->second;
        if (x.kind != y.kind) {
          cmp.differences.push_back({name, qname + " (kind)", x.kind, y.kind, true});
          continue;
        }
        const std::string xs = fmt::format("{:.10g}", x.value), ys = fmt::format("{:.10g}", y.value);
        if (x.kind == "statistical" && std::isfinite(x.value) && std::isfinite(y.value)) {
          const double se = std::hypot(x.std_error, y.std_error);
          const double z = se > 0 ? std::abs(x.value - y.value) / se : (x.value == y.value ? 0 : HUGE_VAL);
          if (z > z_crit)
            cmp.differences.push_back(
                {name, qname, fmt::format("{} (z = {:.3g} > {:.3g})", xs, z, z_crit), ys, true});
          continue;
        }
        if (x.kind == "rounding" && std::abs(x.value) <= x.scale && std::abs(y.value) <= y.scale) continue;
        if (!agrees(x.value, y.value, rtol, atol)) cmp.differences.push_back({name, qname, xs, ys, true});
      }
      for (const auto& [qname, x] : qr)
        if (!qb.count(qname)) cmp.differences.push_back({name, qname, "present", "missing", !allow_new});
      continue;
    }
    // Files without quantities: the numeric left and right sides.
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
    if (!base.count(name)) cmp.differences.push_back({name, "presence", "present", "missing", !allow_new});
  return cmp;
}
}  // namespace

}  // namespace gdverify::reports
