// Judging a user's score model against the theory (docs/theory.md section 5,
// "Bringing your own model"). With the scenario's data law known, the truth is
// exact: the model runs through each sampler (numerics/model_sampler.hpp) on
// the scenario's first schedule, on the same start points and noise as the
// exact engine, and four checks per (form, sampler) give verdicts:
//   model.score-error.<form>.<sampler>  the path-law KL of the guided SDE with
//       this score against the exact one (Girsanov, 1/2 int g^2 E|s_hat^w - s^w|^2)
//       is at most 2 tv^2, so that TV <= tv by Pinsker (tv = 0.05 unless set);
//       per-time squared score errors of both queries are reported;
//   model.T1.<form>.<sampler>  T1 with this model: E[phi] does not rise in tau nor
//       end above kappa; the coupled gap E[phi_model - phi_exact] is reported;
//   model.T3.<form>.<sampler>  the average does not get worse; the improved
//       fraction with this model and with the exact score on the same noise;
//   model.weak-error.<form>.<sampler>  T2 with a score error: the model's weak
//       error in E[log phi] against the exact discrete law at its N is no larger
//       than the exact sampler's own discretisation error at N (estimated from
//       the coupled run with 2N steps), i.e. the score error costs no more than
//       the discretisation does.
// The w = 0 control (the exact engine's E[phi] must contain and resolve kappa,
// Var phi finite) gates the T1/T3 verdicts as in the Monte Carlo checks.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "gdverify/checks/check.hpp"
#include "gdverify/numerics/scenario.hpp"
#include "gdverify/numerics/score_model.hpp"
#include "gdverify/numerics/vocabulary.hpp"

namespace gdverify::checks {

struct ModelAssessmentOptions {
  long paths = 0;                               ///< 0: the scenario's monte_carlo.paths
  long batch = 4096;                            ///< points per model call
  double tv_tolerance = 0.05;                   ///< the path-law TV the score error may cost
  std::vector<numerics::SamplerKind> samplers;  ///< empty: the scenario's samplers.names
};

/// The four checks per sampler for `model` answering the queries of `form`
/// ("cfg": unconditional and conditional on guidance.class; "reward":
/// unconditional and reward-tilted). The model is shared, not copied.
std::vector<Check> model_checks(const numerics::Scenario& scenario, const std::string& form,
                                std::shared_ptr<const numerics::ScoreModel> model,
                                const ModelAssessmentOptions& options = {});

}  // namespace gdverify::checks
