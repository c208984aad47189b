// The model sampler: the samplers of the Monte Carlo engine (Euler-Maruyama,
// DDPM-type, DDIM, Heun; THEORY.md T2) driven by any ScoreModel, batch by
// batch, with CFG or reward guidance s^w = (1 + w) s_target - w s. It reads the
// engine's step table (sampler_steps.hpp), starts every path where the engine
// starts it (MonteCarloEngine::start_points) and draws the engine's
// counter-based normals (seed, path, step, coordinate), so a user model and
// the exact model run on the same noise, path by path: with ExactScoreModel
// its paths are the engine's own up to rounding (tested).
//
// The metric phi = kappa p_t / q_t is always the truth's (the scenario's data
// law is known), so E[phi] measures what the model's sampler does to the
// classifier probability of THEORY.md T1. Along the model's own paths it also
// records the squared score error |s_hat - s|^2 of both queries and of the
// guided field, and each path's Girsanov sum
//   G = 1/2 sum_k h_k g^2(t_k) |s_hat^w - s^w|^2(t_k, Y_k),
// whose mean is the KL divergence between the path laws of the guided SDE
// with the exact and with the model's score (Girsanov; an Euler sum, exact in
// the limit h -> 0); by Pinsker, TV <= sqrt(KL / 2) (docs/theory.md section 5).
#pragma once

#include <memory>
#include <vector>

#include "gdverify/numerics/monte_carlo_engine.hpp"
#include "gdverify/numerics/score_model.hpp"

namespace gdverify::numerics {

/// Squared score errors at one step time, over the paths of one w.
struct ScoreErrorAtStep {
  double t = 0;
  RunningMoments unconditional;  ///< |s_hat(Y) - s(Y)|^2
  RunningMoments target;         ///< |s_hat_target(Y) - s_target(Y)|^2 (conditional or tilted)
  RunningMoments guided;         ///< |s_hat^w(Y) - s^w(Y)|^2
  RunningMoments exact_guided;   ///< |s^w(Y)|^2 (the size the error is relative to)
};

struct ModelRun {
  /// The model's statistics, by the engine's estimators (MonteCarloEngine::reduce).
  MonteCarloSums sums;
  /// log phi per path, path-major (paths x (scales x checkpoints)), as
  /// MonteCarloEngine::path_log_metrics lays it out.
  std::vector<double> log_phi;
  /// Per scale (w = 0 first), per step (step 0 first): squared score errors.
  std::vector<std::vector<ScoreErrorAtStep>> score_error;
  /// Per scale: the Girsanov sum G over paths (mean = path-law KL).
  std::vector<RunningMoments> girsanov;
  /// Per scale, the end points (paths x d, row-major), when asked for.
  std::vector<std::vector<double>> endpoints;
};

struct ModelRunOptions {
  long batch = 4096;            ///< points per model call
  bool score_error = true;      ///< also evaluate the exact score along the paths
  bool keep_endpoints = false;  ///< keep every path's end point
};

class ModelSampler {
 public:
  /// truth: the data law (the metric and the exact score); spec as for the engine.
  ModelSampler(const GuidanceProblem<double>& truth, const ForwardProcess<double>& process,
               MonteCarloSpec spec);
  /// Runs `paths` paths of `model` (the model's dimension must be the truth's).
  [[nodiscard]] ModelRun run(const ScoreModel& model, long paths, const ModelRunOptions& options = {}) const;
  /// The exact engine on the same spec: its paths share this sampler's noise.
  [[nodiscard]] const MonteCarloEngine& exact_engine() const { return *engine_; }
  [[nodiscard]] const MonteCarloSpec& spec() const { return engine_->spec(); }

 private:
  GuidanceProblem<double> truth_;
  ForwardProcess<double> process_;
  std::shared_ptr<const MonteCarloEngine> engine_;
};

/// Per (scale, checkpoint) moments of phi_model - phi_exact on the same paths
/// (both path-major log phi arrays of one spec); non-finite pairs are left out.
std::vector<RunningMoments> coupled_metric_difference(const std::vector<double>& log_phi_model,
                                                      const std::vector<double>& log_phi_exact, long paths,
                                                      std::size_t entries);

}  // namespace gdverify::numerics
