// Score models (numerics/include/gdverify/numerics/score_model.hpp).
#include "gdverify/numerics/score_model.hpp"

#include <cmath>

#include "gdverify/theory/errors.hpp"
#include "gdverify/theory/mixture_marginal.hpp"

namespace gdverify::numerics {

std::string score_query_name(ScoreQuery q) {
  switch (q) {
    case ScoreQuery::unconditional: return "unconditional";
    case ScoreQuery::conditional: return "conditional";
    case ScoreQuery::reward_tilted: return "reward-tilted";
  }
  return "?";
}

ScoreRequest target_request(const GuidanceProblem<double>& problem) {
  switch (problem.kind()) {
    case GuidanceKind::cfg:
    case GuidanceKind::classifier_reward: return {ScoreQuery::conditional, problem.guided_class()};
    case GuidanceKind::reward:
    case GuidanceKind::pair: return {ScoreQuery::reward_tilted, -1};
  }
  return {};
}

namespace {

void check_batch(std::span<const double> x, std::span<double> out, int d) {
  if (d < 1 || x.size() % static_cast<std::size_t>(d) != 0)
    throw InvalidParameter("x", "the batch is not n x d with d = " + std::to_string(d));
  if (out.size() != x.size()) throw InvalidParameter("out", "must have the size of x");
}

}  // namespace

ExactScoreModel::ExactScoreModel(GuidanceProblem<double> problem, ForwardProcess<double> process)
    : problem_(std::move(problem)), process_(std::move(process)) {}

void ExactScoreModel::score(std::span<const double> x, double t, const ScoreRequest& which,
                            std::span<double> out) const {
  const int d = dimension();
  check_batch(x, out, d);
  const MixtureModel<double>* law = &problem_.base();
  int label = MixtureMarginal<double>::kAllClasses;
  switch (which.query) {
    case ScoreQuery::unconditional: break;
    case ScoreQuery::conditional:
      problem_.base().check_class(which.label);
      label = which.label;
      break;
    case ScoreQuery::reward_tilted:
      if (problem_.kind() != GuidanceKind::reward && problem_.kind() != GuidanceKind::pair)
        throw InvalidParameter("which",
                               "this problem has no reward-tilted law (it is " + problem_.kind_name() + ")");
      law = &problem_.target();
      break;
  }
  const MixtureMarginal<double> marginal(*law, process_, t);
  const std::size_t n = x.size() / static_cast<std::size_t>(d);
  Vector<double> v(d);
  for (std::size_t i = 0; i < n; ++i) {
    for (int j = 0; j < d; ++j) v(j) = x[i * static_cast<std::size_t>(d) + static_cast<std::size_t>(j)];
    const Vector<double> s = marginal.score(v, label);
    for (int j = 0; j < d; ++j) out[i * static_cast<std::size_t>(d) + static_cast<std::size_t>(j)] = s(j);
  }
}

NoisePredictionModel::NoisePredictionModel(std::shared_ptr<const ScoreModel> eps_model,
                                           ForwardProcess<double> process)
    : eps_(std::move(eps_model)), process_(std::move(process)) {
  if (!eps_) throw InvalidParameter("model", "no noise-prediction model given");
}

void NoisePredictionModel::score(std::span<const double> x, double t, const ScoreRequest& which,
                                 std::span<double> out) const {
  eps_->score(x, t, which, out);
  const double sigma = std::sqrt(process_.sigma2(t));
  for (double& v : out) v = -v / sigma;  // s = -eps / sigma_t
}

ScoreAsNoisePrediction::ScoreAsNoisePrediction(std::shared_ptr<const ScoreModel> score_model,
                                               ForwardProcess<double> process)
    : score_(std::move(score_model)), process_(std::move(process)) {
  if (!score_) throw InvalidParameter("model", "no score model given");
}

void ScoreAsNoisePrediction::score(std::span<const double> x, double t, const ScoreRequest& which,
                                   std::span<double> out) const {
  score_->score(x, t, which, out);
  const double sigma = std::sqrt(process_.sigma2(t));
  for (double& v : out) v = -sigma * v;  // eps = -sigma_t s
}

double guidance_scale_to_w(double gamma, const std::string& field) {
  if (!std::isfinite(gamma) || gamma < 1)
    throw InvalidParameter(field, "guidance_scale gamma = 1 + w must be finite and >= 1");
  return gamma - 1;
}

}  // namespace gdverify::numerics
