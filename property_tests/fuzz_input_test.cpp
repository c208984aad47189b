// Fuzzing of the two readers of untrusted input: the scenario parser and the
// JSON documents `gdverify compare` reads. RapidCheck mutates the committed
// corpus (fuzz_corpus/: valid files at the edges of the schema) with byte
// flips, insertions and deletions, token splices from a dictionary of the
// grammar's hard cases, duplications and truncations. The budget is fixed:
// CTest sets RC_PARAMS (seed, max_success; property_tests/CMakeLists.txt), so
// a run is reproducible and bounded in time. Run under the debug-asan preset
// too (.ci/run), so that a memory error is found even where no exception is.
//
// Properties:
//  - parse_scenario returns a scenario inside every documented limit, or
//    throws ScenarioError (file:line: key: reason) - nothing else;
//  - compare_results on a parsed document returns, or throws
//    std::invalid_argument naming the field - nothing else; comparing a
//    document with itself, when it returns, finds no failing difference.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "gdverify/numerics/scenario_file.hpp"
#include "gdverify/reports/compare.hpp"

namespace {
namespace fs = std::filesystem;
using gdverify::numerics::ScenarioLimits;

std::vector<std::string> corpus(const std::string& extension) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(GDVERIFY_FUZZ_CORPUS))
    if (e.path().extension() == extension) {
      std::ifstream in(e.path(), std::ios::binary);
      out.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
  std::sort(out.begin(), out.end());
  return out;
}

const std::vector<std::string> kTomlTokens = {"[[classes]]\n",
                                              "[[classes.components]]\n",
                                              "[schedule]\n",
                                              "[guidance]\n",
                                              "[samplers]\n",
                                              "[monte_carlo]\n",
                                              "[reward]\n",
                                              "[data]\nname = \"iris\"\n",
                                              " = ",
                                              "\"",
                                              "'",
                                              "'''",
                                              "\"\"\"",
                                              "[",
                                              "]",
                                              "{",
                                              "}",
                                              ",",
                                              "\n",
                                              "#",
                                              "nan",
                                              "inf",
                                              "-inf",
                                              "1e308",
                                              "4.9e-324",
                                              "-1",
                                              "0",
                                              "4294967297",
                                              "9223372036854775807",
                                              "1e-300",
                                              "dimension = 64\n",
                                              "dimension = 65\n",
                                              "prior = 1.0\n",
                                              "mean = [0.0]\n",
                                              "covariance = [[1.0]]\n",
                                              "covariance = [[0.0]]\n",
                                              "weight = 0.5\n",
                                              "scales = []\n",
                                              "names = []\n",
                                              "steps = [0]\n",
                                              "early_stop = 0.49\n",
                                              "ou_horizon = 1e-6\n",
                                              "guided_class = 9\n",
                                              "\\u0000",
                                              "\\n",
                                              "\x01",
                                              "\xff",
                                              "\xc3\x28"};

const std::vector<std::string> kJsonTokens = {
    "{",          "}",          "[",       "]",       ",",       ":",           "\"",
    "null",       "true",       "1e999",   "-0",      "NaN",     "\"verdict\"", "\"name\"",
    "\"schema\"", "\"checks\"", "\"lhs\"", "\"rhs\"", "\"nan\"", "\"inf\"",     "\"1e308\"",
    "2",          "{}",         "[]",      "\\u0000"};

/// One edit of a text: kind, position and length as fractions, a token.
struct Edit {
  int kind;
  double at, length;
  std::size_t token;
  unsigned char byte;
};

std::string mutate(std::string s, const std::vector<Edit>& edits, const std::vector<std::string>& tokens) {
  for (const auto& e : edits) {
    const std::size_t n = s.size();
    const auto pos = static_cast<std::size_t>(e.at * static_cast<double>(n));
    const auto len = std::min(n - std::min(pos, n), static_cast<std::size_t>(e.length * 64));
    switch (e.kind) {
      case 0:
        if (pos < n) s[pos] = static_cast<char>(s[pos] ^ (e.byte | 1));
        break;
      case 1: s.insert(std::min(pos, n), 1, static_cast<char>(e.byte)); break;
      case 2: s.erase(std::min(pos, n), len); break;
      case 3: s.insert(std::min(pos, n), tokens[e.token % tokens.size()]); break;
      case 4: s.insert(std::min(pos, n), s.substr(std::min(pos, n), len)); break;
      default: s.resize(std::min(pos, n)); break;
    }
  }
  return s;
}

rc::Gen<std::vector<Edit>> edits() {
  return rc::gen::container<std::vector<Edit>>(rc::gen::construct<Edit>(
      rc::gen::inRange(0, 6), rc::gen::map(rc::gen::inRange(0, 10001), [](int v) { return v / 10000.0; }),
      rc::gen::map(rc::gen::inRange(0, 1001), [](int v) { return v / 1000.0; }),
      rc::gen::arbitrary<std::size_t>(), rc::gen::arbitrary<unsigned char>()));
}

TEST(FuzzCorpus, IsThere) {
  EXPECT_GE(corpus(".toml").size(), 3u);
  EXPECT_GE(corpus(".json").size(), 1u);
}

RC_GTEST_PROP(FuzzScenarioParser, AcceptsWithinLimitsOrRejectsWithScenarioError, ()) {
  static const auto seeds = corpus(".toml");
  const auto seed = *rc::gen::elementOf(seeds);
  const auto text = mutate(seed, *edits(), kTomlTokens);
  try {
    const auto s = gdverify::numerics::parse_scenario(text, "fuzz.toml");
    RC_ASSERT(s.dimension >= 1 && s.dimension <= ScenarioLimits::dimension);
    RC_ASSERT(s.early_stop >= ScenarioLimits::early_stop_min && s.early_stop < 0.5);
    RC_ASSERT(s.early_stop < s.ou_horizon && s.ou_horizon <= ScenarioLimits::ou_horizon);
    RC_ASSERT(!s.samplers.empty() && !s.schedules.empty() && !s.steps.empty() && !s.guidance_scales.empty());
    RC_ASSERT(s.guidance_scales.size() <= ScenarioLimits::scales);
    for (int n : s.steps) RC_ASSERT(n >= 1 && n <= ScenarioLimits::steps);
    for (double w : s.guidance_scales) RC_ASSERT(w >= 0 && std::isfinite(w));
    RC_ASSERT(s.paths >= 1 && s.paths <= ScenarioLimits::paths);
    RC_ASSERT(s.name.size() <= ScenarioLimits::name_length);
    std::size_t comps = 0;
    for (const auto& c : s.classes) comps += c.components.size();
    RC_ASSERT(comps <= ScenarioLimits::components);
    (void)s.mixture<double>();
    RC_TAG("accepted");
  } catch (const gdverify::numerics::ScenarioError& e) {
    RC_TAG("rejected");
    RC_ASSERT(!e.key().empty());
    RC_ASSERT(!e.reason().empty());
  }
}

RC_GTEST_PROP(FuzzCompareReader, ReturnsOrRejectsWithInvalidArgument, ()) {
  static const auto seeds = corpus(".json");
  const auto seed = *rc::gen::elementOf(seeds);
  const auto text = mutate(seed, *edits(), kJsonTokens);
  const auto doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded()) return;  // the CLI's "not JSON" branch
  const auto base = nlohmann::json::parse(seed);
  try {
    (void)gdverify::reports::compare_results(doc, base, 1e-9, 0);
    (void)gdverify::reports::compare_results(base, doc, 1e-9, 0);
    const auto self = gdverify::reports::compare_results(doc, doc, 0, 0);
    RC_ASSERT(self.passed());
    RC_TAG("compared");
  } catch (const std::invalid_argument&) {
    RC_TAG("rejected");
  }
}

}  // namespace
