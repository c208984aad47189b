// Judging your own score model with gdverify's C++ API (docs/models.md).
// The model here is a stand-in for a network: the exact score of the
// scenario, shrunk towards zero by a factor (1 - shrink), the bias a score
// network trained with too little data or too strong weight decay shows.
// With shrink = 0 it is exact and must pass; with shrink = 0.2 the score
// error must fail its budget. Exit 0 when both come out as expected.
#include <cstdio>
#include <memory>

#include "gdverify/checks/model_assessment.hpp"
#include "gdverify/numerics/scenario_file.hpp"
#include "gdverify/numerics/scenario_monte_carlo.hpp"

namespace gn = gdverify::numerics;
namespace gc = gdverify::checks;

class ShrunkScore final : public gn::ScoreModel {
 public:
  ShrunkScore(std::shared_ptr<const gn::ScoreModel> exact, double shrink)
      : exact_(std::move(exact)), shrink_(shrink) {}
  int dimension() const override { return exact_->dimension(); }
  std::string name() const override { return "shrunk by " + std::to_string(shrink_); }
  void score(std::span<const double> x, double t, const gn::ScoreRequest& which,
             std::span<double> out) const override {
    exact_->score(x, t, which, out);  // a batch: x is n x d, out n x d, row-major
    for (double& v : out) v *= 1 - shrink_;
  }

 private:
  std::shared_ptr<const gn::ScoreModel> exact_;
  double shrink_;
};

int main(int argc, char** argv) {
  // A scenario file (docs/scenario.md) when given, else the built-in scenario.
  gn::Scenario sc = argc > 1 ? gn::load_scenario(argv[1]) : gn::default_scenario();
  sc.samplers = {gn::SamplerKind::euler_maruyama};
  sc.guidance_scales = {1.0, 3.0};
  sc.steps = {32};
  const auto proc = sc.process<double>("ou");
  auto exact = std::make_shared<gn::ExactScoreModel>(gn::scenario_guidance_problem(sc, "reward"), proc);
  gc::ModelAssessmentOptions options;
  options.paths = 4096;
  bool as_expected = true;
  for (double shrink : {0.0, 0.2}) {
    auto model = std::make_shared<ShrunkScore>(exact, shrink);
    for (const gc::Check& check : gc::model_checks(sc, "reward", model, options)) {
      const gc::CheckResult r = gc::run_check(check);
      std::printf("%-40s %-12s %s\n", r.name.c_str(), gc::verdict_name(r.verdict), r.lhs.c_str());
      if (r.name == "model.score-error.reward.euler-maruyama")
        as_expected = as_expected && r.verdict == (shrink == 0 ? gc::Verdict::pass : gc::Verdict::fail);
    }
  }
  std::printf("%s\n", as_expected ? "as expected" : "NOT as expected");
  return as_expected ? 0 : 1;
}
