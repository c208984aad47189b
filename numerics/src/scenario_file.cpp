#include "gdverify/numerics/scenario_file.hpp"

#include <toml++/toml.h>
#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "gdverify/numerics/format_significant.hpp"
#include "gdverify/numerics/vocabulary.hpp"
#include "gdverify/theory/errors.hpp"

namespace gdverify::numerics {

namespace {
bool listed(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}
}  // namespace
namespace {

class Parser {
 public:
  explicit Parser(std::string file) : file_(std::move(file)) {}

  [[noreturn]] void fail(const toml::node& n, const std::string& key, const std::string& reason) const {
    throw ScenarioError(file_, static_cast<long>(n.source().begin.line), key, reason);
  }
  [[noreturn]] void fail_at(const std::string& key, const std::string& reason) const {
    throw ScenarioError(file_, line_of(key), key, reason);
  }

  void record(const std::string& key, const toml::node& n) {
    lines_[key] = static_cast<long>(n.source().begin.line);
  }

  /// The line of `key`, or of its nearest recorded ancestor.
  [[nodiscard]] long line_of(std::string key) const {
    while (!key.empty()) {
      if (auto it = lines_.find(key); it != lines_.end()) return it->second;
      const auto cut = key.find_last_of(".[");
      if (cut == std::string::npos) break;
      key.resize(cut);
    }
    return 1;
  }

  void only(const toml::table& t, const std::string& prefix, const std::set<std::string>& allowed) const {
    for (auto&& [k, v] : t) {
      const std::string key(k.str());
      if (!allowed.count(key)) {
        std::string list;
        for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
        fail(v, prefix + key, "unknown key (allowed here: " + list + ")");
      }
    }
  }

  double number(const toml::node& n, const std::string& key) {
    record(key, n);
    if (!n.is_number()) fail(n, key, "expected a number, got " + type_name(n));
    const double v = n.value<double>().value_or(std::nan(""));
    if (!std::isfinite(v)) fail(n, key, "must be finite (NaN and infinity are not allowed)");
    return v;
  }
  long integer(const toml::node& n, const std::string& key) {
    record(key, n);
    if (!n.is_integer()) fail(n, key, "expected an integer, got " + type_name(n));
    return static_cast<long>(*n.value<int64_t>());
  }
  std::string string(const toml::node& n, const std::string& key) {
    record(key, n);
    if (!n.is_string()) fail(n, key, "expected a string, got " + type_name(n));
    return *n.value<std::string>();
  }
  const toml::array& array(const toml::node& n, const std::string& key) {
    record(key, n);
    if (!n.is_array()) fail(n, key, "expected an array, got " + type_name(n));
    return *n.as_array();
  }
  const toml::table& table(const toml::node& n, const std::string& key) {
    record(key, n);
    if (!n.is_table()) fail(n, key, "expected a table, got " + type_name(n));
    return *n.as_table();
  }
  std::vector<double> vector(const toml::node& n, const std::string& key, std::size_t size) {
    const auto& a = array(n, key);
    if (size && a.size() != size)
      fail(n, key, "expected " + std::to_string(size) + " entries, got " + std::to_string(a.size()));
    std::vector<double> out;
    for (std::size_t i = 0; i < a.size(); ++i)
      out.push_back(number(a[i], key + "[" + std::to_string(i) + "]"));
    return out;
  }
  /// A d x d matrix as nested arrays, returned row-major.
  std::vector<double> matrix(const toml::node& n, const std::string& key, std::size_t d) {
    const auto& a = array(n, key);
    if (a.size() != d) fail(n, key, "expected a " + std::to_string(d) + "x" + std::to_string(d) + " matrix");
    std::vector<double> out;
    for (std::size_t i = 0; i < d; ++i) {
      const auto row = vector(a[i], key + "[" + std::to_string(i) + "]", d);
      out.insert(out.end(), row.begin(), row.end());
    }
    return out;
  }

  static std::string type_name(const toml::node& n) {
    switch (n.type()) {
      case toml::node_type::string: return "a string";
      case toml::node_type::integer: return "an integer";
      case toml::node_type::floating_point: return "a float";
      case toml::node_type::boolean: return "a boolean";
      case toml::node_type::array: return "an array";
      case toml::node_type::table: return "a table";
      default: return "a date/time";
    }
  }

  const std::string& file() const { return file_; }

 private:
  std::string file_;
  std::map<std::string, long> lines_;
};

/// Why `name` is not a valid scenario name ("" when it is): valid UTF-8 of 1
/// to name_length characters (code points, not bytes), with no control
/// character (C0, DEL or C1: newline, tab, NUL, ESC, U+0085, ...).
std::string name_problem(const std::string& name) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < name.size(); ++chars) {
    const auto b = static_cast<unsigned char>(name[i]);
    const int len = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xe ? 3 : (b >> 3) == 0x1e ? 4 : 0;
    if (len == 0 || i + static_cast<std::size_t>(len) > name.size()) return "is not valid UTF-8";
    std::uint32_t cp = len == 1 ? b : (b & (0x7f >> len));
    for (int k = 1; k < len; ++k) {
      const auto c = static_cast<unsigned char>(name[i + static_cast<std::size_t>(k)]);
      if ((c >> 6) != 0x2) return "is not valid UTF-8";
      cp = (cp << 6) | (c & 0x3f);
    }
    const std::uint32_t least[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < least[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return "is not valid UTF-8";
    if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
      return "must not contain control characters (newline, tab, NUL, ESC, U+0085, ...)";
    // text-direction and line-separator characters reorder or split what a reader sees
    if ((cp >= 0x200e && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069))
      return "must not contain text-direction or line-separator characters (U+200E, U+2028, U+202E, ...)";
    i += static_cast<std::size_t>(len);
  }
  if (chars == 0 || chars > ScenarioLimits::name_length)
    return "must have 1 to " + std::to_string(ScenarioLimits::name_length) + " characters (got " +
           std::to_string(chars) + ")";
  return "";
}

/// Means, reward centres and covariance eigenvalues within the double
/// engine's numerical range (ScenarioLimits): a covariance of 1e-300 or a
/// mean of 1e9 is valid mathematics but leaves no digit to compute with.
void check_numeric_range(const Scenario& s, Parser& P) {
  const auto d = static_cast<Eigen::Index>(s.dimension);
  double overall_lo = 1e300, overall_hi = 0;
  for (std::size_t c = 0; c < s.classes.size(); ++c)
    for (std::size_t k = 0; k < s.classes[c].components.size(); ++k) {
      const std::string kk = "classes[" + std::to_string(c) + "].components[" + std::to_string(k) + "]";
      const auto& comp = s.classes[c].components[k];
      for (std::size_t i = 0; i < comp.mean.size(); ++i)
        if (std::abs(comp.mean[i]) > ScenarioLimits::mean_abs)
          P.fail_at(kk + ".mean", "entries must lie in [-" + format_significant(ScenarioLimits::mean_abs, 6) +
                                      ", " + format_significant(ScenarioLimits::mean_abs, 6) + "]");
      Eigen::MatrixXd cov(d, d);
      for (Eigen::Index i = 0; i < d; ++i)
        for (Eigen::Index j = 0; j < d; ++j) cov(i, j) = comp.covariance[static_cast<std::size_t>(i * d + j)];
      const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(cov, Eigen::EigenvaluesOnly);
      const double lo = eig.eigenvalues().minCoeff(), hi = eig.eigenvalues().maxCoeff();
      overall_lo = std::min(overall_lo, lo);
      overall_hi = std::max(overall_hi, hi);
      if (overall_hi > ScenarioLimits::variance_ratio * overall_lo)
        P.fail_at(kk + ".covariance", "the variances of all components together span " +
                                          format_significant(overall_lo, 6) + " .. " +
                                          format_significant(overall_hi, 6) + ", more than the ratio " +
                                          format_significant(ScenarioLimits::variance_ratio, 6) +
                                          " allowed (the quadrature's work grows with widest / narrowest)");
      if (!(lo >= ScenarioLimits::variance_min) || !(hi <= ScenarioLimits::variance_max))
        P.fail_at(kk + ".covariance",
                  "eigenvalues must lie in [" + format_significant(ScenarioLimits::variance_min, 6) + ", " +
                      format_significant(ScenarioLimits::variance_max, 6) + "] (got " +
                      format_significant(lo, 6) + " .. " + format_significant(hi, 6) + ")");
    }
  for (double a : s.reward.center)
    if (std::abs(a) > ScenarioLimits::mean_abs)
      P.fail_at("reward.center", "entries must lie in [-" + format_significant(ScenarioLimits::mean_abs, 6) +
                                     ", " + format_significant(ScenarioLimits::mean_abs, 6) + "]");
}

Scenario parse(const toml::table& root, Parser& P) {
  Scenario s = default_scenario();
  P.only(root, "",
         {"name", "dimension", "guided_class", "seed", "precision", "schedule", "guidance", "reward",
          "classes", "data", "samplers", "monte_carlo"});
  if (auto n = root.get("name")) {
    s.name = P.string(*n, "name");
    if (const auto why = name_problem(s.name); !why.empty()) P.fail(*n, "name", why);
  }
  const bool has_classes = root.contains("classes"), has_data = root.contains("data");
  if (has_classes && has_data)
    P.fail(*root.get("data"), "data", "give either [data] or [[classes]], not both");
  if (has_data) {
    const auto& t = P.table(*root.get("data"), "data");
    P.only(t, "data.", {"name"});
    if (!t.contains("name")) P.fail(t, "data.name", "missing (digits, iris or wine)");
    s.data_set = P.string(*t.get("name"), "data.name");
    const auto& names = data_set_names();
    if (std::find(names.begin(), names.end(), s.data_set) == names.end())
      P.fail(*t.get("name"), "data.name",
             "unknown data set '" + s.data_set + "' (expected digits, iris or wine)");
    s.classes.clear();
  }
  if (auto n = root.get("dimension")) {
    const long d = P.integer(*n, "dimension");
    if (d < 1 || d > ScenarioLimits::dimension)
      P.fail(*n, "dimension",
             "must be between 1 and " + std::to_string(ScenarioLimits::dimension) +
                 " (the Monte Carlo engine's limit)");
    s.dimension = static_cast<int>(d);
  }
  if (has_data) {
    // The data set fixes the dimension: the reward's vectors and every check
    // are sized by it, so a different `dimension` is a contradiction.
    int data_d = 0;
    try {
      data_d = load_data_set(s.data_set).dimension;
    } catch (const DataSetError& e) {
      P.fail(*root.get("data")->as_table()->get("name"), "data.name", e.what());
    }
    if (root.contains("dimension") && s.dimension != data_d)
      P.fail(*root.get("dimension"), "dimension",
             "the data set '" + s.data_set + "' has dimension " + std::to_string(data_d) +
                 "; omit dimension or set it to " + std::to_string(data_d));
    s.dimension = data_d;
  }
  const auto d = static_cast<std::size_t>(s.dimension);
  if (s.dimension != 1 && !has_classes && !has_data)
    P.fail(*root.get("dimension"), "dimension",
           "the built-in classes are 1-D: give [[classes]] (or [data]) for dimension " +
               std::to_string(s.dimension));
  if (has_classes) {
    s.classes.clear();
    const auto& arr = P.array(*root.get("classes"), "classes");
    if (arr.empty()) P.fail(arr, "classes", "at least one class is required");
    if (arr.size() > ScenarioLimits::classes)
      P.fail(arr, "classes", "at most " + std::to_string(ScenarioLimits::classes) + " classes");
    std::size_t total_components = 0;
    for (std::size_t c = 0; c < arr.size(); ++c)
      if (const auto* t = arr[c].as_table())
        if (const auto* comps = t->get_as<toml::array>("components")) total_components += comps->size();
    if (total_components > ScenarioLimits::components)
      P.fail(arr, "classes",
             "at most " + std::to_string(ScenarioLimits::components) + " components over all classes (got " +
                 std::to_string(total_components) + ")");
    for (std::size_t c = 0; c < arr.size(); ++c) {
      const std::string ck = "classes[" + std::to_string(c) + "]";
      const auto& t = P.table(arr[c], ck);
      P.only(t, ck + ".", {"prior", "components"});
      ClassSpecD cls;
      if (!t.contains("prior")) P.fail(t, ck + ".prior", "missing");
      cls.prior = P.number(*t.get("prior"), ck + ".prior");
      if (!t.contains("components")) P.fail(t, ck + ".components", "missing");
      const auto& comps = P.array(*t.get("components"), ck + ".components");
      if (comps.empty()) P.fail(comps, ck + ".components", "at least one component is required");
      for (std::size_t k = 0; k < comps.size(); ++k) {
        const std::string kk = ck + ".components[" + std::to_string(k) + "]";
        const auto& kt = P.table(comps[k], kk);
        P.only(kt, kk + ".", {"weight", "mean", "covariance"});
        ComponentSpec comp;
        comp.weight = kt.contains("weight") ? P.number(*kt.get("weight"), kk + ".weight") : 1.0;
        if (!kt.contains("mean")) P.fail(kt, kk + ".mean", "missing");
        comp.mean = P.vector(*kt.get("mean"), kk + ".mean", d);
        if (!kt.contains("covariance")) P.fail(kt, kk + ".covariance", "missing");
        comp.covariance = P.matrix(*kt.get("covariance"), kk + ".covariance", d);
        cls.components.push_back(comp);
      }
      s.classes.push_back(cls);
    }
    // class i's weights: record under the key the mixture validation names
    for (std::size_t c = 0; c < arr.size(); ++c)
      P.record("classes[" + std::to_string(c) + "].weights", arr[c]);
    P.record("classes.prior", arr);
  }
  if (auto n = root.get("guided_class")) {
    const long c = P.integer(*n, "guided_class");
    const long nc =
        s.data_set.empty() ? static_cast<long>(s.classes.size()) : (s.data_set == "digits" ? 10 : 3);
    if (c < 0 || c >= nc) P.fail(*n, "guided_class", "must lie in [0, " + std::to_string(nc) + ")");
    s.guided_class = static_cast<int>(c);
  }
  if (auto n = root.get("seed")) {
    const long v = P.integer(*n, "seed");
    if (v < 0) P.fail(*n, "seed", "must be >= 0");
    s.seed = static_cast<std::uint64_t>(v);
  }
  if (auto n = root.get("precision")) {
    const long v = P.integer(*n, "precision");
    if (v != 50) P.fail(*n, "precision", "decimal digits of the high-precision checks; only 50 is built in");
    s.precision_digits = static_cast<int>(v);
  }
  if (auto n = root.get("schedule")) {
    const auto& t = P.table(*n, "schedule");
    P.only(t, "schedule.", {"names", "ou_horizon", "beta_min", "beta_max", "early_stop"});
    if (auto m = t.get("names")) {
      const auto& a = P.array(*m, "schedule.names");
      if (a.empty()) P.fail(*m, "schedule.names", "at least one schedule is required");
      s.schedules.clear();
      for (std::size_t i = 0; i < a.size(); ++i) {
        const std::string key = "schedule.names[" + std::to_string(i) + "]";
        const auto name = P.string(a[i], key);
        ScheduleKind kind{};
        try {
          kind = parse_schedule(name, key);
        } catch (const InvalidParameter& e) {
          P.fail(a[i], key, e.what() + e.field().size() + 2);
        }
        if (s.lists(kind)) P.fail(a[i], key, "schedule '" + name + "' is listed twice");
        s.schedules.push_back(kind);
      }
    }
    if (auto m = t.get("ou_horizon")) {
      s.ou_horizon = P.number(*m, "schedule.ou_horizon");
      if (!(s.ou_horizon > 0 && s.ou_horizon <= ScenarioLimits::ou_horizon))
        P.fail(*m, "schedule.ou_horizon",
               "must lie in (0, " + format_significant(ScenarioLimits::ou_horizon, 6) + "]");
    }
    if (auto m = t.get("beta_min")) {
      s.beta_min = P.number(*m, "schedule.beta_min");
      if (!(s.beta_min >= 0)) P.fail(*m, "schedule.beta_min", "must be >= 0");
    }
    if (auto m = t.get("beta_max")) {
      s.beta_max = P.number(*m, "schedule.beta_max");
      if (!(s.beta_max > 0) || s.beta_max < s.beta_min || s.beta_max > ScenarioLimits::beta_max)
        P.fail(*m, "schedule.beta_max",
               "must be > 0, >= beta_min and <= " + format_significant(ScenarioLimits::beta_max, 6));
    }
    if (auto m = t.get("early_stop")) {
      s.early_stop = P.number(*m, "schedule.early_stop");
      if (!(s.early_stop >= ScenarioLimits::early_stop_min && s.early_stop < 0.5))
        P.fail(*m, "schedule.early_stop",
               "must lie in [" + format_significant(ScenarioLimits::early_stop_min, 6) + ", 0.5)");
    }
    if (!(s.early_stop < s.ou_horizon))
      P.fail_at(t.contains("early_stop") ? "schedule.early_stop" : "schedule.ou_horizon",
                "early_stop (" + format_significant(s.early_stop, 6) + ") must be below ou_horizon (" +
                    format_significant(s.ou_horizon, 6) + ")");
  }
  if (auto n = root.get("guidance")) {
    const auto& t = P.table(*n, "guidance");
    P.only(t, "guidance.", {"kind", "scales"});
    if (auto m = t.get("kind")) {
      const auto name = P.string(*m, "guidance.kind");
      if (!listed(guidance_kind_names(), name))
        P.fail(*m, "guidance.kind", "expected " + one_of(guidance_kind_names()));
      s.guidance_kind = parse_guidance_choice(name);
    }
    if (auto m = t.get("scales")) {
      s.guidance_scales = P.vector(*m, "guidance.scales", 0);
      if (s.guidance_scales.empty()) P.fail(*m, "guidance.scales", "at least one scale is required");
      if (s.guidance_scales.size() > ScenarioLimits::scales)
        P.fail(*m, "guidance.scales", "at most " + std::to_string(ScenarioLimits::scales) + " scales");
      for (std::size_t i = 0; i < s.guidance_scales.size(); ++i) {
        const std::string key = "guidance.scales[" + std::to_string(i) + "]";
        if (s.guidance_scales[i] < 0) P.fail((*m->as_array())[i], key, "w must be >= 0");
        if (s.guidance_scales[i] > ScenarioLimits::guidance_scale)
          P.fail((*m->as_array())[i], key,
                 "w must be <= " + format_significant(ScenarioLimits::guidance_scale, 6));
        for (std::size_t j = 0; j < i; ++j)
          if (s.guidance_scales[j] == s.guidance_scales[i])
            P.fail((*m->as_array())[i], key,
                   "w = " + format_significant(s.guidance_scales[i], 17) +
                       " is listed twice (results are keyed by w)");
      }
    }
  }
  if (auto n = root.get("reward")) {
    const auto& t = P.table(*n, "reward");
    P.only(t, "reward.", {"center", "precision", "linear"});
    s.reward.center =
        t.contains("center") ? P.vector(*t.get("center"), "reward.center", d) : std::vector<double>(d, 0.0);
    s.reward.precision = t.contains("precision") ? P.matrix(*t.get("precision"), "reward.precision", d)
                                                 : std::vector<double>(d * d, 0.0);
    s.reward.linear =
        t.contains("linear") ? P.vector(*t.get("linear"), "reward.linear", d) : std::vector<double>(d, 0.0);
  } else if (s.reward.center.size() != d) {
    // default reward in a dimension other than the built-in one: r(x) = exp(-|x - 1|^2 / 2)
    s.reward.center.assign(d, 1.0);
    s.reward.precision.assign(d * d, 0.0);
    for (std::size_t i = 0; i < d; ++i) s.reward.precision[i * d + i] = 1.0;
    s.reward.linear.assign(d, 0.0);
  }
  if (auto n = root.get("samplers")) {
    const auto& t = P.table(*n, "samplers");
    P.only(t, "samplers.", {"names", "steps"});
    if (auto m = t.get("names")) {
      const auto& a = P.array(*m, "samplers.names");
      if (a.empty()) P.fail(*m, "samplers.names", "at least one sampler is required");
      s.samplers.clear();
      for (std::size_t i = 0; i < a.size(); ++i) {
        const std::string key = "samplers.names[" + std::to_string(i) + "]";
        const auto name = P.string(a[i], key);
        if (!listed(sampler_names(), name))
          P.fail(a[i], key, "unknown sampler '" + name + "' (expected " + one_of(sampler_names()) + ")");
        const SamplerKind kind = parse_sampler(name, key);
        if (s.lists(kind)) P.fail(a[i], key, "sampler '" + name + "' is listed twice");
        s.samplers.push_back(kind);
      }
    }
    if (auto m = t.get("steps")) {
      const auto& a = P.array(*m, "samplers.steps");
      if (a.empty()) P.fail(*m, "samplers.steps", "at least one step count is required");
      if (a.size() > ScenarioLimits::step_counts)
        P.fail(*m, "samplers.steps",
               "at most " + std::to_string(ScenarioLimits::step_counts) + " step counts");
      s.steps.clear();
      for (std::size_t i = 0; i < a.size(); ++i) {
        const std::string key = "samplers.steps[" + std::to_string(i) + "]";
        const long v = P.integer(a[i], key);
        if (v < 1) P.fail(a[i], key, "step counts must be >= 1 (zero steps is no sampler)");
        if (v > ScenarioLimits::steps)
          P.fail(a[i], key, "step counts must be <= " + std::to_string(ScenarioLimits::steps));
        s.steps.push_back(static_cast<int>(v));
      }
    }
  }
  if (auto n = root.get("monte_carlo")) {
    const auto& t = P.table(*n, "monte_carlo");
    P.only(t, "monte_carlo.", {"paths", "start"});
    if (auto m = t.get("paths")) {
      s.paths = P.integer(*m, "monte_carlo.paths");
      if (s.paths < 1 || s.paths > ScenarioLimits::paths)
        P.fail(*m, "monte_carlo.paths", "must lie in [1, " + std::to_string(ScenarioLimits::paths) + "]");
    }
    if (auto m = t.get("start")) {
      const auto name = P.string(*m, "monte_carlo.start");
      if (!listed(start_law_names(), name))
        P.fail(*m, "monte_carlo.start",
               "unknown start '" + name + "' (expected " + one_of(start_law_names()) + ")");
      s.start = parse_start_law(name);
    }
  }
  // Build the model objects now, so that every invalid value is reported
  // before any work starts, with the line of the offending key.
  try {
    (void)s.mixture<double>();
    (void)s.gaussian_reward<double>();
  } catch (const InvalidParameter& e) {
    const std::string what = e.what();
    P.fail_at(e.field(), what.substr(e.field().size() + 2));
  } catch (const DataSetError& e) {
    P.fail_at("data.name", e.what());
  }
  check_numeric_range(s, P);
  return s;
}

}  // namespace

namespace {

/// The line of the first key nested deeper than kMaxKeyDepth, or 0. The TOML
/// parser recurses once per dotted-key segment, so a 100 kB key of 50000
/// segments ("a.a.a....") overflows its stack; no key of the schema has more
/// than two dots. Dots are counted outside strings and comments, per token
/// (split at white space and = , [ ] { }); a token that is a number (1.5,
/// 1e-3) holds its one dot legitimately.
constexpr int kMaxKeyDepth = 16;

long first_too_deep_key(const std::string& text) {
  long line = 1;
  int depth = 0;
  std::string token;
  auto end_token = [&] {
    const auto dots = std::count(token.begin(), token.end(), '.');
    if (dots > 0) {
      char* end = nullptr;
      std::strtod(token.c_str(), &end);
      const bool number = dots == 1 && end == token.c_str() + token.size();
      if (!number) depth += static_cast<int>(dots);
    }
    token.clear();
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"' || c == '\'') {  // skip a string (escapes only in basic strings)
      end_token();
      for (++i; i < text.size() && text[i] != c && text[i] != '\n'; ++i)
        if (c == '"' && text[i] == '\\') ++i;
      continue;
    }
    if (c == '#') {
      while (i < text.size() && text[i] != '\n') ++i;
    }
    if (i >= text.size() || text[i] == '\n' || c == '=' || c == ',' || c == '[' || c == ']' || c == '{' ||
        c == '}' || c == ' ' || c == '\t' || c == '\r') {
      end_token();
      if (depth > kMaxKeyDepth) return line;
      if (i < text.size() && text[i] == '\n') {
        ++line;
        depth = 0;
      }
      continue;
    }
    token += c;
  }
  end_token();
  return depth > kMaxKeyDepth ? line : 0;
}

}  // namespace

Scenario parse_scenario(const std::string& text, const std::string& name) {
  if (const long line = first_too_deep_key(text))
    throw ScenarioError(name, line, "(syntax)",
                        "a key nested deeper than " + std::to_string(kMaxKeyDepth) +
                            " levels (no scenario key has more than 3)");
  toml::table root;
  try {
    root = toml::parse(text, name);
  } catch (const toml::parse_error& e) {
    throw ScenarioError(name, static_cast<long>(e.source().begin.line), "(syntax)",
                        std::string(e.description()));
  }
  Parser p(name);
  return parse(root, p);
}

Scenario load_scenario(const std::string& path) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status))
    throw ScenarioError(path, 0, "(file)", "cannot open the scenario file: no such file");
  if (!std::filesystem::is_regular_file(status))
    throw ScenarioError(path, 0, "(file)",
                        "not a regular file (a directory, device or FIFO is not a scenario)");
  if (std::filesystem::file_size(path, ec) > ScenarioLimits::file_bytes)
    throw ScenarioError(
        path, 0, "(file)",
        "larger than " + std::to_string(ScenarioLimits::file_bytes) + " bytes, the limit of a scenario");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ScenarioError(path, 0, "(file)", "cannot open the scenario file");
  // Read at most one byte past the limit (the file may have grown since stat).
  std::string text(ScenarioLimits::file_bytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > ScenarioLimits::file_bytes)
    throw ScenarioError(
        path, 0, "(file)",
        "larger than " + std::to_string(ScenarioLimits::file_bytes) + " bytes, the limit of a scenario");
  return parse_scenario(text, path);
}

}  // namespace gdverify::numerics
