// A TorchScript network as a score model (docs/models.md, "TorchScript").
// The module's forward(x, t, c) takes a batch x of shape (n, d), the times t
// of shape (n,) and the class labels c of shape (n,) (int64; -1 is the null
// class, i.e. the unconditional score, as CFG networks are trained) and
// returns (n, d): the score, or the noise prediction eps when the model is
// wrapped in NoisePredictionModel (s = -eps / sigma_t). The reward-tilted
// score s^r comes from a second module (trained by reweighted score matching,
// THEORY.md R2), called with c = -1. Built only with libtorch
// (GDVERIFY_WITH_TORCH); this header is free of it.
#pragma once

#include <memory>
#include <string>

#include "gdverify/numerics/score_model.hpp"

namespace gdverify::numerics {

/// Whether this build can load TorchScript models.
bool torch_available();

class TorchScoreModel final : public ScoreModel {
 public:
  /// `path`: the network of the unconditional and conditional queries;
  /// `tilted_path` (may be empty): the network of the reward-tilted query.
  /// float32: feed float32 tensors (what networks are usually trained in).
  /// Throws InvalidParameter naming the option for a file that does not load.
  TorchScoreModel(const std::string& path, const std::string& tilted_path, int dimension,
                  bool float32 = true);
  ~TorchScoreModel() override;
  [[nodiscard]] int dimension() const override { return d_; }
  [[nodiscard]] std::string name() const override { return name_; }
  void score(std::span<const double> x, double t, const ScoreRequest& which,
             std::span<double> out) const override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  int d_;
  std::string name_;
};

}  // namespace gdverify::numerics
