// The scenario test matrix (scenarios/matrix/): for each scenario, every check
// either runs on the scenario or is reported as not run with its reason,
// every result names its problem, nothing it lists as needed is violated, and
// no check fails or errs on a valid scenario (a false alarm). Inconclusive
// verdicts are allowed: they say why the run could not decide.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace {
namespace fs = std::filesystem;

const fs::path kMatrix = fs::path(GDVERIFY_SOURCE_DIR) / "scenarios" / "matrix";

int run(const std::string& args, const fs::path& log) {
  const int status =
      std::system((std::string(GDVERIFY_BINARY) + " " + args + " >" + log.string() + " 2>&1").c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// Name parts that must not appear in a check that ran on this scenario.
std::vector<std::string> forbidden(const std::string& scenario) {
  const std::vector<std::string> samplers{"euler-maruyama", "ddpm", "ddim", "heun"};
  if (scenario == "cfg-only") return {".reward"};
  if (scenario == "reward-only" || scenario == "one-class" || scenario == "gaussian-reward-3d")
    return {".cfg", "CFG=R"};
  if (scenario.starts_with("sampler-")) {
    std::vector<std::string> out;
    for (const auto& s : samplers)
      if ("sampler-" + s != scenario) out.push_back("." + s + ".");
    return out;
  }
  return {};
}

class ScenarioMatrix : public testing::TestWithParam<std::string> {};

TEST_P(ScenarioMatrix, EveryCheckRunsOrSaysWhyNotAndNoneFails) {
  const std::string name = GetParam();
  const fs::path dir = fs::temp_directory_path() / ("gdverify-matrix-" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  const int status = run(
      "check --scenario " + (kMatrix / (name + ".toml")).string() + " --json " + (dir / "r.json").string(),
      dir / "out.txt");
  EXPECT_EQ(status, 0) << slurp(dir / "out.txt");
  const auto j = nlohmann::json::parse(slurp(dir / "r.json"));
  ASSERT_FALSE(j["checks"].empty()) << name << ": nothing ran on the scenario";
  for (const auto& c : j["checks"]) {
    const auto n = c["name"].get<std::string>();
    EXPECT_EQ(c["problem"], "scenario") << n;  // --scenario alone runs the scenario suite
    EXPECT_NE(c["verdict"], "fail") << n;
    EXPECT_NE(c["verdict"], "error") << n;
    for (const auto& f : forbidden(name)) EXPECT_EQ(n.find(f), std::string::npos) << n << " ran on " << name;
    EXPECT_FALSE(c["quantities"].empty()) << n;
  }
  for (const auto& k : j["not_run"]) {
    EXPECT_FALSE(k["reason"].get<std::string>().empty()) << k["name"];
    EXPECT_TRUE(k["problem"] == "scenario" || k["problem"].get<std::string>().starts_with("built-in:"));
  }
  fs::remove_all(dir);
}

std::vector<std::string> matrix() {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(kMatrix))
    if (e.path().extension() == ".toml") out.push_back(e.path().stem().string());
  std::sort(out.begin(), out.end());
  return out;
}

INSTANTIATE_TEST_SUITE_P(Scenarios, ScenarioMatrix, testing::ValuesIn(matrix()),
                         [](const testing::TestParamInfo<std::string>& i) {
                           std::string s = i.param;
                           for (auto& ch : s)
                             if (ch == '-') ch = '_';
                           return s;
                         });

TEST(ScenarioMatrix, CoversTheCasesTheContractNames) {
  const auto m = matrix();
  for (const char* need :
       {"cfg-only", "reward-only", "zero-scale", "one-class", "separated", "three-class-2d", "digits",
        "early-stop-small", "early-stop-large", "sampler-euler-maruyama", "sampler-ddpm", "sampler-ddim",
        "sampler-heun", "gaussian-reward-3d", "horizon-short", "horizon-long", "scale-large"})
    EXPECT_NE(std::find(m.begin(), m.end(), need), m.end()) << need;
}

/// compare flags a significant change of a Monte Carlo E[phi] and ignores
/// rounding noise and a change of seed.
TEST(ScenarioMatrix, CompareFlagsASignificantMonteCarloChange) {
  const fs::path dir = fs::temp_directory_path() / "gdverify-matrix-compare";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::string base = slurp(kMatrix / "reward-only.toml");
  auto variant = [&](const std::string& file, const std::string& from, const std::string& to) {
    std::string s = base;
    const auto at = s.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    s.replace(at, from.size(), to);
    std::ofstream(dir / file) << s;
  };
  variant("a.toml", "seed = 20261201", "seed = 20261201");
  variant("seed.toml", "seed = 20261201", "seed = 7");
  variant("moved.toml", "center = [2.0]", "center = [2.5]");
  const std::string sel = " 'T1.mc.scenario.*' 'L1c.*' 'T1.dissipation-pointwise.*' --json ";
  for (const char* s : {"a", "seed", "moved"})
    ASSERT_EQ(run("check --scenario " + (dir / (std::string(s) + ".toml")).string() + sel +
                      (dir / (std::string(s) + ".json")).string(),
                  dir / "out.txt"),
              0)
        << s << slurp(dir / "out.txt");
  const auto cmp = [&](const char* r) {
    return run("compare " + (dir / (std::string(r) + ".json")).string() + " " + (dir / "a.json").string(),
               dir / "cmp.txt");
  };
  EXPECT_EQ(cmp("seed"), 0) << slurp(dir / "cmp.txt");   // new noise, new points: no significant change
  EXPECT_EQ(cmp("moved"), 1) << slurp(dir / "cmp.txt");  // the reward moved: E[phi_T] changed
  EXPECT_NE(slurp(dir / "cmp.txt").find(" (z = "), std::string::npos) << slurp(dir / "cmp.txt");
  fs::remove_all(dir);
}

}  // namespace

namespace {

/// converge studies the scenario's own problem and labels every study.
TEST(ScenarioMatrix, ConvergeStudiesTheScenariosOwnProblem) {
  const fs::path dir = fs::temp_directory_path() / "gdverify-matrix-converge";
  fs::remove_all(dir);
  fs::create_directories(dir);
  ASSERT_EQ(run("converge --scenario " + (kMatrix / "gaussian-reward-3d.toml").string() + " --json " +
                    (dir / "c.json").string(),
                dir / "out.txt"),
            0)
      << slurp(dir / "out.txt");
  const auto j = nlohmann::json::parse(slurp(dir / "c.json"));
  ASSERT_EQ(j["studies"].size(), 1u);  // one schedule, one sampler; no 1-D study applies
  EXPECT_EQ(j["studies"][0]["problem"], "scenario");
  EXPECT_EQ(j["studies"][0]["name"], "T2.weak-order.ddpm.ou.reward.scenario");
  EXPECT_NE(slurp(dir / "out.txt").find("not run: T2 on the scenario's exact discrete laws"),
            std::string::npos);
  fs::remove_all(dir);
}

}  // namespace
