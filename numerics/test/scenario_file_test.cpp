// Scenario files: a valid file round-trips; one malformed scenario of each
// kind is rejected with the file, line, key and reason.
#include <gtest/gtest.h>

#include <cstdlib>

#include "gdverify/numerics/scenario_file.hpp"

namespace gdverify::numerics {
namespace {

const char* kValid = R"(name = "two-class"
dimension = 1
guided_class = 1
[schedule]
names = ["ou", "linear"]
ou_horizon = 3
[guidance]
scales = [0.5, 2]
[reward]
center = [1.0]
precision = [[2.0]]
[[classes]]
prior = 0.25
  [[classes.components]]
  weight = 1
  mean = [-1.0]
  covariance = [[0.5]]
[[classes]]
prior = 0.75
  [[classes.components]]
  weight = 0.5
  mean = [1.0]
  covariance = [[1.0]]
  [[classes.components]]
  weight = 0.5
  mean = [2.0]
  covariance = [[0.25]]
[samplers]
steps = [4, 8, 16]
)";

TEST(ScenarioFile, ValidFileIsRead) {
  const auto s = parse_scenario(kValid, "valid.toml");
  EXPECT_EQ(s.name, "two-class");
  EXPECT_EQ(s.guided_class, 1);
  EXPECT_EQ(s.schedules, (std::vector<ScheduleKind>{ScheduleKind::ou, ScheduleKind::linear}));
  EXPECT_EQ(s.guidance_kind, GuidanceChoice::both);
  EXPECT_EQ(s.start, StartLaw::exact);
  EXPECT_EQ(s.ou_horizon, 3.0);
  ASSERT_EQ(s.classes.size(), 2u);
  EXPECT_EQ(s.classes[1].components[1].covariance, std::vector<double>{0.25});
  EXPECT_EQ(s.steps, (std::vector<int>{4, 8, 16}));
  EXPECT_EQ(s.mixture<double>().components().size(), 3u);
}

/// Replaces the first occurrence of `from` in the valid file by `to`.
std::string with(const std::string& from, const std::string& to) {
  std::string s = kValid;
  const auto at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return s.replace(at, from.size(), to);
}

void expect_rejected(const std::string& text, const std::string& key, long line,
                     const std::string& reason_part) {
  try {
    (void)parse_scenario(text, "bad.toml");
    ADD_FAILURE() << "accepted; expected an error at " << key;
  } catch (const ScenarioError& e) {
    EXPECT_EQ(e.file(), "bad.toml");
    EXPECT_EQ(e.key(), key) << e.what();
    EXPECT_EQ(e.line(), line) << e.what();
    EXPECT_NE(e.reason().find(reason_part), std::string::npos) << e.what();
  }
}

TEST(ScenarioFile, BadType) {
  expect_rejected(with("ou_horizon = 3", "ou_horizon = \"three\""), "schedule.ou_horizon", 6,
                  "expected a number");
}

TEST(ScenarioFile, UnknownKey) {
  expect_rejected(with("scales = [0.5, 2]", "scale = [0.5, 2]"), "guidance.scale", 8, "unknown key");
}

TEST(ScenarioFile, SingularCovariance) {
  expect_rejected(with("covariance = [[0.5]]", "covariance = [[0.0]]"), "classes[0].components[0].covariance",
                  17, "positive definite");
}

TEST(ScenarioFile, WeightsNotSummingToOne) {
  expect_rejected(with("weight = 0.5", "weight = 0.6"), "classes[1].weights", 18, "sum to 1");
}

TEST(ScenarioFile, NegativeGuidanceScale) {
  expect_rejected(with("scales = [0.5, 2]", "scales = [0.5, -2]"), "guidance.scales[1]", 8, "w must be >= 0");
}

TEST(ScenarioFile, ZeroSteps) {
  expect_rejected(with("steps = [4, 8, 16]", "steps = [4, 0, 16]"), "samplers.steps[1]", 29, ">= 1");
}

TEST(ScenarioFile, NaN) {
  expect_rejected(with("center = [1.0]", "center = [nan]"), "reward.center[0]", 10, "finite");
}

TEST(ScenarioFile, UnknownSchedule) {
  expect_rejected(with("\"linear\"]", "\"cosine\"]"), "schedule.names[1]", 5, "unknown schedule");
}

TEST(ScenarioFile, MissingDataFile) {
  ::setenv("GDVERIFY_DATA_DIR", "/nonexistent-gdverify-data", 1);
  expect_rejected("name = \"x\"\n[data]\nname = \"iris\"\n", "data.name", 3,
                  "/nonexistent-gdverify-data/iris.csv");
  ::unsetenv("GDVERIFY_DATA_DIR");
}

TEST(ScenarioFile, DataSetFixesTheDimension) {
  const auto s =
      parse_scenario("name = \"x\"\n[data]\nname = \"iris\"\n[reward]\ncenter = [0, 0, 0, 0]\n", "x");
  EXPECT_EQ(s.dimension, 4);
  EXPECT_EQ(s.reward.center.size(), 4u);
  expect_rejected("name = \"x\"\ndimension = 2\n[data]\nname = \"iris\"\n", "dimension", 2, "dimension 4");
}

TEST(ScenarioFile, SyntaxError) {
  try {
    (void)parse_scenario("name = \n", "syntax.toml");
    FAIL();
  } catch (const ScenarioError& e) {
    EXPECT_EQ(e.line(), 1);
  }
}

TEST(ScenarioFile, MissingFile) {
  EXPECT_THROW((void)load_scenario("/nonexistent/scenario.toml"), ScenarioError);
}

}  // namespace
}  // namespace gdverify::numerics

namespace gdverify::numerics {
namespace {

TEST(ScenarioFile, EveryCheckFamilySharesOneImmutableCopy) {
  const Scenario sc = default_scenario();
  const auto a = share_scenario(sc);
  const auto b = share_scenario(sc);  // the next family, same scenario
  EXPECT_EQ(a.get(), b.get());
  Scenario other = sc;
  other.seed += 1;
  EXPECT_NE(share_scenario(other).get(), a.get());
}

}  // namespace
}  // namespace gdverify::numerics
