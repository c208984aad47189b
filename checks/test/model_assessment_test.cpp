// The model assessment: the exact score passes every check; a score with a
// modelling error (the score of a blurred data law, what an under-trained
// network learns) is caught by the score-error check while the theorems still
// hold; a model whose guidance direction is reversed fails the score-error
// check and T1; a noise-prediction model given either way gets the same
// verdicts. Every assertion below is on a verdict, whose statistical
// assertions run at kStatisticalAlpha each (false-failure budget in
// numerics/statistical_level.hpp); seeds are fixed.
#include <gtest/gtest.h>

#include <map>

#include "gdverify/checks/model_assessment.hpp"
#include "gdverify/numerics/scenario_monte_carlo.hpp"

namespace gdverify::checks {
namespace {

using namespace gdverify::numerics;

Scenario small_scenario() {
  Scenario sc = default_scenario();
  sc.guidance_scales = {1.0, 3.0};
  sc.steps = {32};
  sc.paths = 4096;
  sc.samplers = {SamplerKind::euler_maruyama, SamplerKind::ddim};
  return sc;
}

std::map<std::string, Verdict> verdicts(const Scenario& sc, const std::string& form,
                                        std::shared_ptr<const ScoreModel> model) {
  std::map<std::string, Verdict> out;
  for (const Check& c : model_checks(sc, form, std::move(model))) {
    const CheckResult r = run_check(c);
    out[r.name] = r.verdict;
    if (r.verdict != Verdict::pass)
      std::printf("%s: %s (%s)\n", r.name.c_str(), verdict_name(r.verdict), r.lhs.c_str());
  }
  return out;
}

/// The exact score of another problem (same queries), e.g. a blurred data law.
class ScoreOf final : public ScoreModel {
 public:
  ScoreOf(const GuidanceProblem<double>& p, const ForwardProcess<double>& proc, std::string name)
      : exact_(p, proc), name_(std::move(name)) {}
  [[nodiscard]] int dimension() const override { return exact_.dimension(); }
  [[nodiscard]] std::string name() const override { return name_; }
  void score(std::span<const double> x, double t, const ScoreRequest& which,
             std::span<double> out) const override {
    exact_.score(x, t, which, out);
  }

 private:
  ExactScoreModel exact_;
  std::string name_;
};

/// Reverses the guidance direction: the target query answers 2 s - s_target,
/// so s^w = (1 + w)(2 s - s_target) - w s moves away from the target.
class ReversedGuidance final : public ScoreModel {
 public:
  explicit ReversedGuidance(std::shared_ptr<const ScoreModel> m) : m_(std::move(m)) {}
  [[nodiscard]] int dimension() const override { return m_->dimension(); }
  [[nodiscard]] std::string name() const override { return "reversed guidance"; }
  void score(std::span<const double> x, double t, const ScoreRequest& which,
             std::span<double> out) const override {
    m_->score(x, t, which, out);
    if (which.query == ScoreQuery::unconditional) return;
    std::vector<double> u(out.size());
    m_->score(x, t, {ScoreQuery::unconditional, -1}, u);
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = 2 * u[i] - out[i];
  }

 private:
  std::shared_ptr<const ScoreModel> m_;
};

TEST(ModelAssessment, TheExactScorePassesEveryCheckWhoseControlHolds) {
  Scenario sc = small_scenario();
  sc.samplers = all_samplers();
  const auto proc = sc.process<double>("ou");
  for (const std::string form : {"reward", "cfg"}) {
    auto exact = std::make_shared<ExactScoreModel>(scenario_guidance_problem(sc, form), proc);
    for (const Check& c : model_checks(sc, form, exact)) {
      const CheckResult r = run_check(c);
      // T1 and T3 rest on the w = 0 control; DDIM's and Heun's discretisation
      // bias at N = 32 can move it off kappa (the engine's own T1.mc.scenario is
      // then inconclusive too), and only then may they be inconclusive. The
      // default scenario's CFG problem has Var phi = infinity under the
      // unguided law, so its T1/T3 are inconclusive for every sampler.
      const bool gated = r.name.rfind("model.T", 0) == 0 &&
                         (form == "cfg" || r.name.find("euler-maruyama") == std::string::npos);
      if (gated && r.verdict == Verdict::inconclusive)
        EXPECT_TRUE(r.details.at("reason").find("w = 0 control") != std::string::npos ||
                    r.details.at("reason").find("Var phi") != std::string::npos)
            << r.name;
      else
        EXPECT_EQ(r.verdict, Verdict::pass) << r.name << ": " << r.lhs;
    }
  }
}

TEST(ModelAssessment, EitherParameterisationGivesTheSameVerdicts) {
  const Scenario sc = small_scenario();
  const auto proc = sc.process<double>("ou");
  auto exact = std::make_shared<ExactScoreModel>(scenario_guidance_problem(sc, "reward"), proc);
  auto via_eps =
      std::make_shared<NoisePredictionModel>(std::make_shared<ScoreAsNoisePrediction>(exact, proc), proc);
  EXPECT_EQ(verdicts(sc, "reward", exact), verdicts(sc, "reward", via_eps));
}

TEST(ModelAssessment, ABlurredScoreIsCaughtAsScoreErrorNotAsATheoremFailure) {
  const Scenario sc = small_scenario();
  const auto proc = sc.process<double>("ou");
  // Every component's variance doubled: the smooth score an under-trained network learns.
  Scenario blurred = sc;
  for (auto& c : blurred.classes)
    for (auto& k : c.components)
      for (double& v : k.covariance) v *= 2.0;
  auto model = std::make_shared<ScoreOf>(scenario_guidance_problem(blurred, "reward"), proc, "blurred");
  const auto v = verdicts(sc, "reward", model);
  EXPECT_EQ(v.at("model.score-error.reward.euler-maruyama"), Verdict::fail);
  EXPECT_EQ(v.at("model.weak-error.reward.euler-maruyama"), Verdict::fail);
  EXPECT_EQ(v.at("model.T1.reward.euler-maruyama"), Verdict::pass);
}

TEST(ModelAssessment, ReversedGuidanceFailsTheScoreErrorAndT1) {
  const Scenario sc = small_scenario();
  const auto proc = sc.process<double>("ou");
  auto exact = std::make_shared<ExactScoreModel>(scenario_guidance_problem(sc, "reward"), proc);
  const auto v = verdicts(sc, "reward", std::make_shared<ReversedGuidance>(exact));
  EXPECT_EQ(v.at("model.score-error.reward.euler-maruyama"), Verdict::fail);
  EXPECT_EQ(v.at("model.T1.reward.euler-maruyama"), Verdict::fail);
}

TEST(ModelAssessment, AFormTheScenarioDoesNotPoseIsRefusedNamingTheField) {
  Scenario sc = small_scenario();
  sc.guidance_kind = GuidanceChoice::cfg;
  const auto proc = sc.process<double>("ou");
  auto exact = std::make_shared<ExactScoreModel>(scenario_guidance_problem(sc, "cfg"), proc);
  EXPECT_NO_THROW(model_checks(sc, "cfg", exact));
  try {
    model_checks(sc, "reward", exact);
    FAIL() << "a cfg-only scenario was assessed in the reward form";
  } catch (const InvalidParameter& e) {
    EXPECT_NE(std::string(e.what()).find("--form"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace gdverify::checks
