// The model sampler (numerics/include/gdverify/numerics/model_sampler.hpp).
#include "gdverify/numerics/model_sampler.hpp"

#include <algorithm>
#include <cmath>

#include "device/device_mixture.hpp"
#include "device/philox_normals.hpp"
#include "gdverify/numerics/sampler_steps.hpp"
#include "gdverify/theory/errors.hpp"
#include "gdverify/theory/guided_score.hpp"

namespace gdverify::numerics {

ModelSampler::ModelSampler(const GuidanceProblem<double>& truth, const ForwardProcess<double>& process,
                           MonteCarloSpec spec)
    : truth_(truth), process_(process), engine_(std::make_shared<MonteCarloEngine>(truth, process, spec)) {}

namespace {

/// s^w = (1 + w) s_target - w s for a batch.
void combine_guided(const std::vector<double>& s_u, const std::vector<double>& s_t, double w,
                    std::vector<double>& out) {
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = (1 + w) * s_t[i] - w * s_u[i];
}

struct Batch {
  const ScoreModel& model;
  const ScoreModel* exact;
  ScoreRequest target;
  long n = 0;
  int d = 0;
  std::vector<double> su, st, sw, eu, et, ew;  // model and exact scores of the batch

  Batch(const ScoreModel& m, const ScoreModel* e, ScoreRequest tr, long size, int dim)
      : model(m), exact(e), target(tr), n(size), d(dim) {
    const auto len = static_cast<std::size_t>(size * dim);
    for (auto* v : {&su, &st, &sw, &eu, &et, &ew}) v->assign(len, 0.0);
  }
  /// The model's guided score at (t, y) into sw; with `exact`, the exact one into ew.
  void guided(const std::vector<double>& y, double t, double w, bool with_exact) {
    model.score(y, t, {ScoreQuery::unconditional, -1}, su);
    model.score(y, t, target, st);
    combine_guided(su, st, w, sw);
    for (double v : sw)
      if (!std::isfinite(v))
        throw InvalidParameter(
            "model", model.name() + " returned a score that is not finite at t = " + std::to_string(t));
    if (with_exact) {
      exact->score(y, t, {ScoreQuery::unconditional, -1}, eu);
      exact->score(y, t, target, et);
      combine_guided(eu, et, w, ew);
    }
  }
};

double squared_distance(const std::vector<double>& a, const std::vector<double>& b, long i, int d) {
  double s = 0;
  for (int j = 0; j < d; ++j) {
    const double e = a[static_cast<std::size_t>(i * d + j)] - b[static_cast<std::size_t>(i * d + j)];
    s += e * e;
  }
  return s;
}

}  // namespace

ModelRun ModelSampler::run(const ScoreModel& model, long paths, const ModelRunOptions& options) const {
  if (paths < 1) throw InvalidParameter("monte_carlo.paths", "must be >= 1");
  if (options.batch < 1) throw InvalidParameter("batch", "must be >= 1");
  const int d = truth_.dimension();
  if (model.dimension() != d)
    throw InvalidParameter("model", model.name() + " has dimension " + std::to_string(model.dimension()) +
                                        ", the scenario's data " + std::to_string(d));
  const MonteCarloSpec& spec = engine_->spec();
  const std::vector<double>& scales = engine_->scales();
  const std::vector<int>& cps = engine_->checkpoints();
  const std::vector<SamplerStep> steps = sampler_steps(spec.sampler, process_, spec.grid);
  const int n_steps = static_cast<int>(steps.size());
  const std::size_t entries = scales.size() * cps.size();
  const ExactScoreModel exact(truth_, process_);
  const ScoreRequest target = target_request(truth_);

  ModelRun out;
  out.log_phi.assign(static_cast<std::size_t>(paths) * entries, 0.0);
  out.girsanov.assign(scales.size(), RunningMoments{});
  out.score_error.assign(scales.size(), std::vector<ScoreErrorAtStep>(static_cast<std::size_t>(n_steps)));
  for (auto& per_w : out.score_error)
    for (int st = 0; st < n_steps; ++st)
      per_w[static_cast<std::size_t>(st)].t = steps[static_cast<std::size_t>(st)].t_k;
  if (options.keep_endpoints)
    out.endpoints.assign(scales.size(), std::vector<double>(static_cast<std::size_t>(paths * d)));

  // The truth's log phi at each grid index a checkpoint lands on.
  auto log_metric = [&](double t, const std::vector<double>& y, long n, long first, std::size_t iw,
                        std::size_t cp) {
    const GuidedScore<double> field(truth_, process_, t);
    Vector<double> v(d);
    for (long i = 0; i < n; ++i) {
      for (int j = 0; j < d; ++j) v(j) = y[static_cast<std::size_t>(i * d + j)];
      out.log_phi[static_cast<std::size_t>(first + i) * entries + iw * cps.size() + cp] = field.log_metric(v);
    }
  };

  for (long first = 0; first < paths; first += options.batch) {
    const long n = std::min(options.batch, paths - first);
    const std::vector<double> y0 = engine_->start_points(first, n);
    Batch batch(model, &exact, target, n, d);
    std::vector<double> y(y0.size()), y1(y0.size()), b1(y0.size()), xi(y0.size()),
        g(static_cast<std::size_t>(n), 0.0);
    for (std::size_t iw = 0; iw < scales.size(); ++iw) {
      const double w = scales[iw];
      y = y0;
      std::fill(g.begin(), g.end(), 0.0);
      std::size_t cp = 0;
      if (cps[0] == 0) log_metric(spec.grid.back(), y, n, first, iw, cp++);
      for (int st = 0; st < n_steps; ++st) {
        const SamplerStep& s = steps[static_cast<std::size_t>(st)];
        batch.guided(y, s.t_k, w, options.score_error);
        if (options.score_error) {
          ScoreErrorAtStep& row = out.score_error[iw][static_cast<std::size_t>(st)];
          for (long i = 0; i < n; ++i) {
            row.unconditional.add(squared_distance(batch.su, batch.eu, i, d));
            row.target.add(squared_distance(batch.st, batch.et, i, d));
            const double e2 = squared_distance(batch.sw, batch.ew, i, d);
            row.guided.add(e2);
            double nrm = 0;
            for (int j = 0; j < d; ++j)
              nrm += batch.ew[static_cast<std::size_t>(i * d + j)] *
                     batch.ew[static_cast<std::size_t>(i * d + j)];
            row.exact_guided.add(nrm);
            g[static_cast<std::size_t>(i)] += 0.5 * s.h * s.g2_k * e2;
          }
        }
        if (spec.sampler == SamplerKind::heun) {
          for (std::size_t q = 0; q < y.size(); ++q) {
            b1[q] = -s.f_k * y[q] + 0.5 * s.g2_k * batch.sw[q];
            y1[q] = y[q] + s.h * b1[q];
          }
          batch.guided(y1, s.t_k1, w, false);
          for (std::size_t q = 0; q < y.size(); ++q) {
            const double b2 = -s.f_k1 * y1[q] + 0.5 * s.g2_k1 * batch.sw[q];
            y[q] += 0.5 * s.h * (b1[q] + b2);
          }
        } else if (s.noise != 0) {
          // The engine's normals of (path, step): normal n = step d + coordinate.
          for (long i = 0; i < n; ++i) {
            double z[device::kMaxDim][1];
            device::StepNormals<1> normals{spec.seed, static_cast<std::uint64_t>(first + i)};
            if (spec.noise_refinement == 1) {
              normals.fill(st, d, z);
            } else {
              double part[device::kMaxDim][1];
              for (int j = 0; j < d; ++j) z[j][0] = 0;
              for (int r = 0; r < spec.noise_refinement; ++r) {
                normals.fill(st * spec.noise_refinement + r, d, part);
                for (int j = 0; j < d; ++j) z[j][0] += part[j][0];
              }
              const double norm = 1.0 / device::dsqrt(static_cast<double>(spec.noise_refinement));
              for (int j = 0; j < d; ++j) z[j][0] *= norm;
            }
            for (int j = 0; j < d; ++j) xi[static_cast<std::size_t>(i * d + j)] = z[j][0];
          }
          for (std::size_t q = 0; q < y.size(); ++q) y[q] = s.a * y[q] + s.b * batch.sw[q] + s.noise * xi[q];
        } else {
          for (std::size_t q = 0; q < y.size(); ++q) y[q] = s.a * y[q] + s.b * batch.sw[q];
        }
        if (cp < cps.size() && cps[cp] == st + 1) log_metric(s.t_k1, y, n, first, iw, cp++);
      }
      if (options.score_error)
        for (long i = 0; i < n; ++i) out.girsanov[iw].add(g[static_cast<std::size_t>(i)]);
      if (options.keep_endpoints)
        std::copy(y.begin(), y.end(), out.endpoints[iw].begin() + static_cast<std::ptrdiff_t>(first * d));
    }
  }
  out.sums = engine_->reduce(paths, out.log_phi);
  return out;
}

std::vector<RunningMoments> coupled_metric_difference(const std::vector<double>& log_phi_model,
                                                      const std::vector<double>& log_phi_exact, long paths,
                                                      std::size_t entries) {
  if (log_phi_model.size() != log_phi_exact.size() ||
      log_phi_model.size() != static_cast<std::size_t>(paths) * entries)
    throw InvalidParameter("log_phi", "the two runs differ in paths or entries");
  std::vector<RunningMoments> out(entries);
  for (long p = 0; p < paths; ++p)
    for (std::size_t e = 0; e < entries; ++e) {
      const double a = log_phi_model[static_cast<std::size_t>(p) * entries + e];
      const double b = log_phi_exact[static_cast<std::size_t>(p) * entries + e];
      if (std::isfinite(a) && std::isfinite(b)) out[e].add(std::exp(a) - std::exp(b));
    }
  return out;
}

}  // namespace gdverify::numerics
