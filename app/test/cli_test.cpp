// End-to-end tests of the gdverify binary: --help, --version, a check run with
// JSON and JUnit output validated by parsing, exit codes, and report layout.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

namespace {
namespace fs = std::filesystem;

int run(const std::string& args) {
  const int status = std::system((std::string(GDVERIFY_BINARY) + " " + args + " >/dev/null 2>&1").c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(Cli, HelpAndVersion) {
  EXPECT_EQ(run("--help"), 0);
  EXPECT_EQ(run("--version"), 0);
  EXPECT_EQ(run("check --help"), 0);
  EXPECT_EQ(run("report --help"), 0);
  EXPECT_EQ(run("compare --help"), 0);
  EXPECT_EQ(run("converge --help"), 0);
  EXPECT_EQ(run("eval --help"), 0);
  EXPECT_EQ(run("no-such-command"), 2);
}

TEST(Cli, CheckWritesValidJsonAndJunit) {
  const fs::path dir = fs::temp_directory_path() / "gdverify-cli-test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  ASSERT_EQ(run("check 'L1c.*' 'T1.*.d2' --json " + (dir / "r.json").string() + " --junit " +
                (dir / "r.xml").string() + " --markdown " + (dir / "r.md").string()),
            0);
  std::ifstream in(dir / "r.json");
  const auto j = nlohmann::json::parse(in);
  EXPECT_EQ(j["schema"], 1);
  ASSERT_GT(j["checks"].size(), 0u);
  for (const auto& c : j["checks"]) {
    // The scenario is 1-D, so its generator identities are certified (with
    // their enclosure); the d = 2 problems' are 50-digit estimates.
    const bool one_d = c["name"].get<std::string>().ends_with(".scenario");
    EXPECT_EQ(c["verdict"], one_d ? "certified" : "pass") << c["name"];
    EXPECT_EQ(c.contains("enclosure"), one_d) << c["name"];
    for (const char* key : {"name", "residual", "tolerance", "seconds"}) EXPECT_TRUE(c.contains(key)) << key;
    EXPECT_LE(c["residual"].get<double>(), c["tolerance"].get<double>());
  }
  std::ifstream x(dir / "r.xml");
  const std::string xml((std::istreambuf_iterator<char>(x)), std::istreambuf_iterator<char>());
  EXPECT_NE(xml.find("<testsuites"), std::string::npos);
  EXPECT_NE(xml.find("failures=\"0\""), std::string::npos);
  fs::remove_all(dir);
}

TEST(Cli, CompareAgainstABaseline) {
  const fs::path dir = fs::temp_directory_path() / "gdverify-cli-compare";
  fs::remove_all(dir);
  fs::create_directories(dir);
  ASSERT_EQ(run("check 'L1c.generator.ou.*.scenario' --json " + (dir / "a.json").string()), 0);
  EXPECT_EQ(run("compare " + (dir / "a.json").string() + " " + (dir / "a.json").string()), 0);
  {
    std::ifstream in(dir / "a.json");
    auto j = nlohmann::json::parse(in);
    j["checks"][0]["verdict"] = "fail";
    std::ofstream out(dir / "b.json");
    out << j.dump();
  }
  EXPECT_EQ(run("compare " + (dir / "a.json").string() + " " + (dir / "b.json").string()), 1);
  EXPECT_EQ(run("compare " + (dir / "a.json").string() + " /nonexistent.json"), 2);
  fs::remove_all(dir);
}

TEST(Cli, SmallReportEndToEnd) {
  const fs::path dir = fs::temp_directory_path() / "gdverify-cli-report";
  fs::remove_all(dir);
  ASSERT_EQ(run("report 'L1c.generator.ou.*' 'T1.dissipation-pointwise.ou.*.scenario' --no-figures --out " +
                dir.string()),
            0);
  for (const char* f :
       {"index.md", "index.html", "checks.json", "checks.xml", "scenario.json", "versions.json"})
    EXPECT_TRUE(fs::exists(dir / f)) << f;
  std::ifstream in(dir / "checks.json");
  const auto j = nlohmann::json::parse(in);
  EXPECT_EQ(j["schema"], 1);
  EXPECT_GE(j["checks"].size(), 6u);
  std::ifstream x(dir / "checks.xml");
  const std::string xml((std::istreambuf_iterator<char>(x)), std::istreambuf_iterator<char>());
  EXPECT_NE(xml.find("<testsuites tests=\"" + std::to_string(j["checks"].size()) + "\" failures=\"0\""),
            std::string::npos);
  fs::remove_all(dir);
}

TEST(Cli, UnknownCheckPatternIsAnError) { EXPECT_EQ(run("check 'Z9.*'"), 2); }

TEST(Cli, MalformedScenarioIsRejectedBeforeAnyOutput) {
  const fs::path dir = fs::temp_directory_path() / "gdverify-cli-bad";
  fs::remove_all(dir);
  fs::create_directories(dir);
  {
    std::ofstream f(dir / "bad.toml");
    f << "name = \"bad\"\n[guidance]\nscales = [1.0, -0.5]\n";
  }
  const std::string cmd = std::string(GDVERIFY_BINARY) + " check --scenario " + (dir / "bad.toml").string() +
                          " --json " + (dir / "r.json").string() + " 2>" + (dir / "err.txt").string();
  const int status = std::system(cmd.c_str());
  EXPECT_EQ(WEXITSTATUS(status), 2);
  EXPECT_FALSE(fs::exists(dir / "r.json"));
  std::ifstream e(dir / "err.txt");
  const std::string err((std::istreambuf_iterator<char>(e)), std::istreambuf_iterator<char>());
  EXPECT_NE(err.find("bad.toml:3: guidance.scales[1]: w must be >= 0"), std::string::npos) << err;
  EXPECT_EQ(run("report --scenario " + (dir / "bad.toml").string() + " --out " + (dir / "rep").string()), 2);
  EXPECT_FALSE(fs::exists(dir / "rep"));
  fs::remove_all(dir);
}

TEST(Cli, AScenarioThatExcludesEverySelectedCheckIsNotAnError) {
  // A reward-only scenario and CFG patterns: nothing runs, the outputs say why, and
  // the run fails only under --strict (nothing was verified).
  const fs::path dir = fs::temp_directory_path() / "gdverify-cli-excluded";
  fs::remove_all(dir);
  fs::create_directories(dir);
  {
    std::ofstream s(dir / "s.toml");
    s << "name = \"reward-only\"\n[guidance]\nkind = \"reward\"\n";
  }
  const std::string args = "check --scenario " + (dir / "s.toml").string() + " 'L1c.generator.*.cfg.*'";
  ASSERT_EQ(run(args + " --json " + (dir / "r.json").string()), 0);
  std::ifstream in(dir / "r.json");
  const auto j = nlohmann::json::parse(in);
  EXPECT_TRUE(j["checks"].empty());
  ASSERT_FALSE(j["not_run"].empty());
  for (const auto& n : j["not_run"]) {
    if (n["problem"] == "scenario") {
      EXPECT_NE(n.dump().find("guidance.kind"), std::string::npos) << n;
    }
  }
  EXPECT_EQ(run(args + " --strict"), 1);
  fs::remove_all(dir);
}

TEST(Cli, ScenarioFileDrivesTheChecks) {
  EXPECT_EQ(run(std::string("check --scenario ") + GDVERIFY_SOURCE_DIR +
                "/scenarios/default.toml 'L1c.*.scenario'"),
            0);
}

}  // namespace

namespace {

TEST(Cli, EvalPrintsMonteCarloQuantitiesForAnyDimension) {
  const fs::path dir = fs::temp_directory_path() / "gdverify-cli-eval";
  fs::remove_all(dir);
  fs::create_directories(dir);
  // The built-in 1-D scenario: Monte Carlo per sampler and w, and the deterministic ODE values.
  ASSERT_EQ(std::system(
                (std::string(GDVERIFY_BINARY) + " eval --paths 2048 > " + (dir / "e.json").string()).c_str()),
            0);
  std::ifstream in(dir / "e.json");
  const auto j = nlohmann::json::parse(in);
  EXPECT_EQ(j["paths"], 2048);
  // Every schedule and form of the scenario (guidance.kind = "both"), then every sampler.
  ASSERT_EQ(j["monte_carlo"].size(), 6u);
  const auto& ou_cfg = j["monte_carlo"]["ou.cfg"];
  EXPECT_EQ(ou_cfg["var_phi_exact_unguided_law"]["decision"], "infinite");  // class 0 is lighter-tailed
  EXPECT_EQ(j["monte_carlo"]["ou.reward"]["var_phi_exact_unguided_law"]["decision"], "finite");
  ASSERT_EQ(ou_cfg["samplers"].size(), 4u);  // the four default samplers
  for (const auto& [name, rows] : ou_cfg["samplers"].items()) {
    ASSERT_EQ(rows.size(), 8u) << name;  // w = 0 and the scenario's seven scales, keyed by w
    EXPECT_EQ(rows["w=0"]["improved_fraction"]["estimate"], 1.0);  // w = 0 is coupled with itself
    for (const auto& [w, r] : rows.items())
      EXPECT_LE(r["improved_fraction"]["lower"], r["improved_fraction"]["upper"]);
  }
  EXPECT_TRUE(j.contains("deterministic_ode"));
  // A 3-D scenario with the Heun sampler and a N(0, I) start.
  {
    std::ofstream s(dir / "s.toml");
    s << "name = \"three\"\ndimension = 3\n[samplers]\nnames = [\"heun\"]\nsteps = [20]\n"
         "[monte_carlo]\npaths = 512\nstart = \"standard-normal\"\n[guidance]\nscales = [1.0]\n"
         "[[classes]]\nprior = 0.5\n[[classes.components]]\nmean = [1, 0, 0]\n"
         "covariance = [[1, 0, 0], [0, 1, 0], [0, 0, 1]]\n"
         "[[classes]]\nprior = 0.5\n[[classes.components]]\nmean = [-1, 0, 0]\n"
         "covariance = [[0.5, 0, 0], [0, 1, 0], [0, 0, 1]]\n";
  }
  ASSERT_EQ(std::system((std::string(GDVERIFY_BINARY) + " eval --scenario " + (dir / "s.toml").string() +
                         " > " + (dir / "e3.json").string())
                            .c_str()),
            0);
  std::ifstream in3(dir / "e3.json");
  const auto j3 = nlohmann::json::parse(in3);
  EXPECT_EQ(j3["start"], "standard-normal");
  EXPECT_EQ(j3["monte_carlo"]["ou.cfg"]["samplers"]["heun"].size(), 2u);
  EXPECT_EQ(j3["monte_carlo"].size(), 6u);
  EXPECT_FALSE(j3.contains("deterministic_ode"));
  EXPECT_EQ(run("eval --paths 0"), 2);
  // The report of a 3-D scenario draws E[phi] and the degraded fraction against w and
  // the law of p(c|Y) from the Monte Carlo engine (the 1-D report uses the ODE coupling).
  ASSERT_EQ(run("report 'L1c.generator.ou.cfg.scenario' --scenario " + (dir / "s.toml").string() + " --out " +
                (dir / "rep").string()),
            0);
  for (const char* f :
       {"metric_vs_w.svg", "degraded_vs_w.svg", "classifier_distribution.svg", "versus_w.dat"})
    EXPECT_TRUE(fs::exists(dir / "rep" / f)) << f;
  std::ifstream fj(dir / "rep" / "figures.json");
  const auto figs = nlohmann::json::parse(fj);
  EXPECT_TRUE(figs["versus_w"].contains("var_phi_exact_unguided_law"));
  fs::remove_all(dir);
}

}  // namespace
