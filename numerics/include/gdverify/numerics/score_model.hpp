// A score model: what a diffusion sampler asks a network for. For a batch of
// n points x (n x d, row-major, as a NumPy array or a batch of latents) and
// one time t it returns the score at every point (docs/theory.md section 5,
// "Bringing your own model"):
//   unconditional   s_t(x)      = grad log p_t(x)
//   conditional     s_t(x | c)  = grad log p_t(x | c)      (CFG, class c)
//   reward_tilted   s^r_t(x)    = grad log q_t(x), q_0 ∝ p_0 r (reward guidance)
// The guided score of both forms is s^w = (1 + w) s_target - w s_unconditional
// (THEORY.md section 2), with s_target the conditional or the tilted score.
//
// Conventions of the field, accepted at every door:
//  - a network may predict the noise eps instead of the score; with
//    x = alpha_t x_0 + sigma_t eps the two are related by s = -eps / sigma_t
//    (NoisePredictionModel converts);
//  - CFG libraries (diffusers) write eps_guided = eps_u + gamma (eps_c - eps_u)
//    with guidance_scale gamma = 1 + w: gamma = 1 is no guidance (w = 0).
#pragma once

#include <memory>
#include <span>
#include <string>

#include "gdverify/theory/forward_process.hpp"
#include "gdverify/theory/guidance_problem.hpp"

namespace gdverify::numerics {

enum class ScoreQuery { unconditional, conditional, reward_tilted };

/// "unconditional", "conditional", "reward-tilted".
std::string score_query_name(ScoreQuery q);

/// One request: which score, and the class for `conditional`.
struct ScoreRequest {
  ScoreQuery query = ScoreQuery::unconditional;
  int label = -1;
};

/// The query a guidance form's target needs: the conditional score of the
/// guided class (CFG, classifier reward) or the tilted score (reward, pair).
ScoreRequest target_request(const GuidanceProblem<double>& problem);

/// The score-model interface. Implementations must be thread-compatible
/// (score() is const and may be called from one thread at a time).
class ScoreModel {
 public:
  virtual ~ScoreModel() = default;
  [[nodiscard]] virtual int dimension() const = 0;
  /// A short name for reports ("exact", a file name, ...).
  [[nodiscard]] virtual std::string name() const = 0;
  /// out[i d + j] = score_j(x_i, t) for the n = x.size() / d points of x.
  /// Throws (InvalidParameter or any std::exception) for a request it cannot
  /// answer; the caller reports it as an error, not a verdict.
  virtual void score(std::span<const double> x, double t, const ScoreRequest& which,
                     std::span<double> out) const = 0;
};

/// The exact score of a guidance problem's data law (closed-form Gaussian
/// mixtures): one score model among others, the reference of every assessment.
class ExactScoreModel final : public ScoreModel {
 public:
  ExactScoreModel(GuidanceProblem<double> problem, ForwardProcess<double> process);
  [[nodiscard]] int dimension() const override { return problem_.dimension(); }
  [[nodiscard]] std::string name() const override { return "exact"; }
  void score(std::span<const double> x, double t, const ScoreRequest& which,
             std::span<double> out) const override;

 private:
  GuidanceProblem<double> problem_;
  ForwardProcess<double> process_;
};

/// A model that predicts the noise eps (the DDPM parameterisation), seen as a
/// score model: s_t(x) = -eps_t(x) / sigma_t.
class NoisePredictionModel final : public ScoreModel {
 public:
  NoisePredictionModel(std::shared_ptr<const ScoreModel> eps_model, ForwardProcess<double> process);
  [[nodiscard]] int dimension() const override { return eps_->dimension(); }
  [[nodiscard]] std::string name() const override { return eps_->name() + " (noise prediction)"; }
  void score(std::span<const double> x, double t, const ScoreRequest& which,
             std::span<double> out) const override;

 private:
  std::shared_ptr<const ScoreModel> eps_;
  ForwardProcess<double> process_;
};

/// The converse view: a score model answering with eps = -sigma_t s (to feed
/// a noise-prediction door, and to test that both conventions agree).
class ScoreAsNoisePrediction final : public ScoreModel {
 public:
  ScoreAsNoisePrediction(std::shared_ptr<const ScoreModel> score_model, ForwardProcess<double> process);
  [[nodiscard]] int dimension() const override { return score_->dimension(); }
  [[nodiscard]] std::string name() const override { return score_->name() + " as eps"; }
  void score(std::span<const double> x, double t, const ScoreRequest& which,
             std::span<double> out) const override;

 private:
  std::shared_ptr<const ScoreModel> score_;
  ForwardProcess<double> process_;
};

/// guidance_scale gamma of the CFG libraries to the w of THEORY.md: w = gamma - 1
/// (InvalidParameter naming `field` for gamma < 1 or not finite).
double guidance_scale_to_w(double gamma, const std::string& field = "guidance_scale");

}  // namespace gdverify::numerics
