// TorchScript score models (numerics/include/gdverify/numerics/torch_score_model.hpp).
#include "gdverify/numerics/torch_score_model.hpp"

#include <filesystem>

#include "gdverify/theory/errors.hpp"

#ifdef GDVERIFY_HAVE_TORCH
#include <torch/script.h>
#endif

namespace gdverify::numerics {

#ifdef GDVERIFY_HAVE_TORCH

bool torch_available() { return true; }

struct TorchScoreModel::Impl {
  mutable torch::jit::script::Module base, tilted;
  bool has_tilted = false;
  bool float32 = true;
};

namespace {

/// libtorch's message without the C++ frames it appends ("Exception raised from ...").
std::string torch_message(const std::exception& e) {
  std::string m = e.what();
  const auto cut = m.find("Exception raised from");
  if (cut != std::string::npos) m = m.substr(0, cut);
  while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
  return m.substr(0, 300);
}

torch::jit::script::Module load_module(const std::string& path, const std::string& option) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    throw InvalidParameter(option, path + ": not a regular file");
  if (std::filesystem::file_size(path, ec) > (std::uintmax_t{1} << 31))
    throw InvalidParameter(option, path + ": larger than 2 GiB");
  try {
    auto m = torch::jit::load(path, torch::kCPU);
    m.eval();
    return m;
  } catch (const std::exception& e) {
    throw InvalidParameter(option, path + ": not a TorchScript module: " + torch_message(e));
  }
}

}  // namespace

TorchScoreModel::TorchScoreModel(const std::string& path, const std::string& tilted_path, int dimension,
                                 bool float32)
    : impl_(std::make_unique<Impl>()), d_(dimension), name_(std::filesystem::path(path).filename().string()) {
  if (dimension < 1) throw InvalidParameter("dimension", "must be >= 1");
  impl_->base = load_module(path, "--score-model");
  if (!tilted_path.empty()) {
    impl_->tilted = load_module(tilted_path, "--tilted-model");
    impl_->has_tilted = true;
    name_ += " + " + std::filesystem::path(tilted_path).filename().string();
  }
  impl_->float32 = float32;
}

TorchScoreModel::~TorchScoreModel() = default;

void TorchScoreModel::score(std::span<const double> x, double t, const ScoreRequest& which,
                            std::span<double> out) const {
  if (x.size() % static_cast<std::size_t>(d_) != 0 || out.size() != x.size())
    throw InvalidParameter("x", "the batch is not n x d");
  const auto n = static_cast<std::int64_t>(x.size() / static_cast<std::size_t>(d_));
  torch::jit::script::Module* m = &impl_->base;
  std::int64_t label = -1;
  switch (which.query) {
    case ScoreQuery::unconditional: break;
    case ScoreQuery::conditional: label = which.label; break;
    case ScoreQuery::reward_tilted:
      if (!impl_->has_tilted)
        throw InvalidParameter("--tilted-model",
                               "reward guidance needs the reward-tilted network (--tilted-model)");
      m = &impl_->tilted;
      break;
  }
  torch::NoGradGuard no_grad;
  const auto dtype = impl_->float32 ? torch::kFloat32 : torch::kFloat64;
  torch::Tensor xt = torch::from_blob(const_cast<double*>(x.data()), {n, d_}, torch::kFloat64).to(dtype);
  torch::Tensor tt = torch::full({n}, t, torch::TensorOptions().dtype(dtype));
  torch::Tensor ct = torch::full({n}, label, torch::TensorOptions().dtype(torch::kInt64));
  torch::Tensor r;
  try {
    r = m->forward({xt, tt, ct}).toTensor();
  } catch (const std::exception& e) {
    throw InvalidParameter("--score-model", name_ + ": forward(x, t, c) failed at t = " + std::to_string(t) +
                                                ": " + torch_message(e));
  }
  if (r.dim() != 2 || r.size(0) != n || r.size(1) != d_)
    throw InvalidParameter("--score-model", name_ + ": forward must return shape (n, d)");
  r = r.to(torch::kFloat64).contiguous();
  std::copy(r.data_ptr<double>(), r.data_ptr<double>() + x.size(), out.begin());
}

#else

bool torch_available() { return false; }
struct TorchScoreModel::Impl {};
TorchScoreModel::TorchScoreModel(const std::string&, const std::string&, int, bool) : d_(0) {
  throw InvalidParameter("--score-model",
                         "this gdverify was built without libtorch (GDVERIFY_WITH_TORCH=OFF)");
}
TorchScoreModel::~TorchScoreModel() = default;
void TorchScoreModel::score(std::span<const double>, double, const ScoreRequest&, std::span<double>) const {}

#endif

}  // namespace gdverify::numerics
