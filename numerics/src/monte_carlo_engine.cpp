// The Monte Carlo engine (numerics/include/gdverify/numerics/monte_carlo_engine.hpp).
// One Kokkos kernel runs whole paths: for each path, the start point is drawn
// once and then, for every guidance scale w, the sampler is run from it with
// the same noise (coupling), and log phi is recorded at the checkpoints. On a
// host backend a work item runs 32 consecutive paths side by side so that the
// arithmetic vectorises across paths (device_mixture.hpp); on a GPU, one path.
// Each path's operations are the same either way, so are its bits. A second
// kernel reduces each fixed block of paths sequentially.
//
// Samplers (THEORY.md T2), one step from grid time t_k down to t_{k-1}, with
// s^w = (1 + w) s^r - w s evaluated at t_k:
//   Euler-Maruyama  Y <- Y + h (-f Y + g^2 s^w) + sqrt(h g^2) xi,          h = t_k - t_{k-1}
//   DDPM-type       Y <- (Y + (1 - a_k) s^w) / sqrt(a_k) + sqrt(1 - a_k) xi, a_k = alpha_k^2 / alpha_{k-1}^2
//   DDIM            Y <- r Y + (r sigma_k^2 - sigma_{k-1} sigma_k) s^w,    r = alpha_{k-1} / alpha_k
//   Heun (prob.-flow ODE b = -f Y + g^2 s^w / 2)
//                   Y' = Y + h b(t_k, Y),  Y <- Y + h/2 (b(t_k, Y) + b(t_{k-1}, Y'))
// These are exactly the recursions of the Gaussian oracle (numerics/src/gaussian_oracle.cpp),
// so on Gaussian data the engine's law is known in closed form.
#include "gdverify/numerics/monte_carlo_engine.hpp"

#include <Eigen/Eigenvalues>
#include <Kokkos_Core.hpp>
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <stdexcept>
#include <type_traits>

#include "device/device_math.hpp"
#include "device/device_mixture.hpp"
#include "device/philox_normals.hpp"
#include "gdverify/numerics/sampler_steps.hpp"
#include "gdverify/theory/errors.hpp"

namespace gdverify::numerics {

std::string host_instruction_set_name(HostInstructionSet isa) {
  switch (isa) {
    case HostInstructionSet::best: return "best";
    case HostInstructionSet::baseline: return "baseline";
    case HostInstructionSet::avx2: return "avx2";
    case HostInstructionSet::avx512: return "avx512";
  }
  return "?";
}

void RunningMoments::merge(const RunningMoments& b) {
  if (b.n == 0) return;
  if (n == 0) {
    *this = b;
    return;
  }
  const double nn = n + b.n;
  const double delta = b.mean - mean;
  mean += delta * (b.n / nn);
  m2 += b.m2 + delta * delta * (n * b.n / nn);
  n = nn;
}

void PathStatistics::merge(const PathStatistics& b) {
  phi.merge(b.phi);
  log_phi.merge(b.log_phi);
  diff_w0.merge(b.diff_w0);
  diff_tau.merge(b.diff_tau);
  diff_prev_w.merge(b.diff_prev_w);
  improved += b.improved;
  nonfinite += b.nonfinite;
}

void ensure_kokkos_initialized() {
  if (!Kokkos::is_initialized()) {
    Kokkos::initialize();
    std::atexit([] {
      if (Kokkos::is_initialized()) Kokkos::finalize();
    });
  }
}

std::vector<double> uniform_grid(double t_end, double t_start, int steps) {
  if (steps < 1) throw InvalidParameter("steps", "must be >= 1");
  std::vector<double> g;
  for (int k = 0; k < steps; ++k) g.push_back(t_end + (t_start - t_end) * k / steps);
  g.push_back(t_start);  // exactly: t_end + (t_start - t_end) can round past T
  return g;
}

std::pair<double, double> philox_normal_pair(std::uint64_t seed, std::uint64_t path, std::uint32_t stream,
                                             std::uint32_t pair) {
  double a = 0, b = 0;
  device::normal_pair(seed, path, stream, pair, a, b);
  return {a, b};
}

namespace {

using device::DeviceMixture;
using device::kMaxDim;

// Columns of the step table.
enum StepColumn { kA, kB, kNoise, kH, kFk, kG2k, kFk1, kG2k1, kColumns };
// Per (w, checkpoint) block statistics: 5 moments x (n, mean, m2), improved, nonfinite.
constexpr int kStatsPerEntry = 17;

DeviceMixture build_mixture(const MixtureModel<double>& m, const std::vector<double>& alpha,
                            const std::vector<double>& s2) {
  const int k_count = static_cast<int>(m.components().size());
  const int d = m.dimension();
  const int times = static_cast<int>(alpha.size());
  DeviceMixture mx;
  mx.components = k_count;
  mx.dim = d;
  mx.mean = Kokkos::View<double**>("mean", k_count, d);
  mx.eigenvalues = Kokkos::View<double**>("eigenvalues", k_count, d);
  mx.rotation = Kokkos::View<double***>("rotation", k_count, d, d);
  mx.isotropic = Kokkos::View<int*>("isotropic", k_count);
  mx.label = Kokkos::View<int*>("label", k_count);
  mx.cumulative = Kokkos::View<double*>("cumulative", k_count);
  mx.log_norm = Kokkos::View<double**>("log_norm", times, k_count);
  auto mean = Kokkos::create_mirror_view(mx.mean);
  auto eig = Kokkos::create_mirror_view(mx.eigenvalues);
  auto rot = Kokkos::create_mirror_view(mx.rotation);
  auto iso = Kokkos::create_mirror_view(mx.isotropic);
  auto label = Kokkos::create_mirror_view(mx.label);
  auto cum = Kokkos::create_mirror_view(mx.cumulative);
  auto lnorm = Kokkos::create_mirror_view(mx.log_norm);
  double total = 0;
  for (const auto& c : m.components()) total += c.weight;
  double run = 0;
  const double log_two_pi = std::log(2 * M_PI);
  for (int k = 0; k < k_count; ++k) {
    const auto& c = m.components()[static_cast<std::size_t>(k)];
    const Eigen::MatrixXd& cov = c.covariance;
    bool isotropic = true;
    for (int i = 0; i < d && isotropic; ++i)
      for (int j = 0; j < d; ++j)
        if ((i == j && cov(i, j) != cov(0, 0)) || (i != j && cov(i, j) != 0)) isotropic = false;
    iso(k) = isotropic ? 1 : 0;
    label(k) = c.label;
    for (int i = 0; i < d; ++i) mean(k, i) = c.mean(i);
    if (isotropic) {
      for (int i = 0; i < d; ++i) eig(k, i) = cov(0, 0);
      for (int i = 0; i < d; ++i)
        for (int j = 0; j < d; ++j) rot(k, i, j) = i == j ? 1.0 : 0.0;
    } else {
      Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(cov);
      for (int i = 0; i < d; ++i) eig(k, i) = std::max(es.eigenvalues()(i), 0.0);
      for (int i = 0; i < d; ++i)
        for (int j = 0; j < d; ++j) rot(k, i, j) = es.eigenvectors()(i, j);
    }
    run += c.weight;
    cum(k) = run / total;
    for (int t = 0; t < times; ++t) {
      double ld = 0;
      for (int i = 0; i < d; ++i)
        ld += std::log(alpha[static_cast<std::size_t>(t)] * alpha[static_cast<std::size_t>(t)] * eig(k, i) +
                       s2[static_cast<std::size_t>(t)]) +
              log_two_pi;
      lnorm(t, k) = std::log(c.weight) - 0.5 * ld;
    }
  }
  cum(k_count - 1) = 1.0;
  Kokkos::deep_copy(mx.mean, mean);
  Kokkos::deep_copy(mx.eigenvalues, eig);
  Kokkos::deep_copy(mx.rotation, rot);
  Kokkos::deep_copy(mx.isotropic, iso);
  Kokkos::deep_copy(mx.label, label);
  Kokkos::deep_copy(mx.cumulative, cum);
  Kokkos::deep_copy(mx.log_norm, lnorm);
  return mx;
}

/// What the path kernel reads and writes, independent of its lane count.
struct KernelData {
  DeviceMixture base, target;
  int shared_class = -1;   // CFG forms: the target is the class-c part of the base
  double log_prior_c = 0;  // log pi_c (shared mode)
  double log_kappa = 0;
  Kokkos::View<double*> alpha, sigma2;  // per grid index
  Kokkos::View<double**> steps;         // per step s = 0..N-1 (from grid index N - s)
  Kokkos::View<double*> scales;
  Kokkos::View<int*> checkpoints;
  Kokkos::View<double**> log_phi;  // chunk path x (scale * ncp + checkpoint)
  long chunk_paths = 0;
  int n_steps = 0, dim = 0, n_scales = 0, n_checkpoints = 0;
  int sampler = 0;  // SamplerKind
  int start_exact = 1;
  int noise_refinement = 1;
  std::uint64_t seed = 0;
  long first_path = 0;
};

/// Runs whole paths (all scales) and stores log phi at the checkpoints. Work
/// item i runs the L paths first_path + L i + (0..L-1) side by side (lanes; see
/// device_mixture.hpp); lanes past the chunk's end are computed and dropped.
template <int L>
struct PathKernel : KernelData {
  using Vec = double[kMaxDim][L];

  /// s^w at grid index ti for each lane.
  KOKKOS_INLINE_FUNCTION void guided_score(int ti, const Vec& y, double w, Vec& out) const {
    Vec sq;
    if (shared_class >= 0) {
      device::evaluate_mixture<L>(base, ti, alpha(ti), sigma2(ti), y, true, shared_class, nullptr, out,
                                  nullptr, sq);
    } else {
      device::evaluate_mixture<L>(base, ti, alpha(ti), sigma2(ti), y, true, -1, nullptr, out, nullptr,
                                  nullptr);
      device::evaluate_mixture<L>(target, ti, alpha(ti), sigma2(ti), y, true, -1, nullptr, sq, nullptr,
                                  nullptr);
    }
    for (int i = 0; i < dim; ++i)
      for (int l = 0; l < L; ++l) out[i][l] = (1 + w) * sq[i][l] - w * out[i][l];
  }

  /// log phi = log kappa + log p_t - log q_t at grid index ti for each lane.
  KOKKOS_INLINE_FUNCTION void log_metric(int ti, const Vec& y, double* out) const {
    double lp[L], lq[L];
    if (shared_class >= 0) {
      device::evaluate_mixture<L>(base, ti, alpha(ti), sigma2(ti), y, false, shared_class, lp, nullptr, lq,
                                  nullptr);
      for (int l = 0; l < L; ++l) lq[l] -= log_prior_c;
    } else {
      device::evaluate_mixture<L>(base, ti, alpha(ti), sigma2(ti), y, false, -1, lp, nullptr, nullptr,
                                  nullptr);
      device::evaluate_mixture<L>(target, ti, alpha(ti), sigma2(ti), y, false, -1, lq, nullptr, nullptr,
                                  nullptr);
    }
    for (int l = 0; l < L; ++l) out[l] = log_kappa + lp[l] - lq[l];
  }

  /// One path's start point (once per path, so scalar).
  KOKKOS_INLINE_FUNCTION void start(std::uint64_t path, double* y) const {
    double xi[kMaxDim];
    device::start_normals(seed, path, dim, xi);
    if (!start_exact) {
      for (int i = 0; i < dim; ++i) y[i] = xi[i];
      return;
    }
    const double u = device::start_uniform(seed, path);
    int lo = 0, hi = target.components - 1;  // first k with cumulative(k) >= u
    while (lo < hi) {
      const int mid = (lo + hi) / 2;
      if (target.cumulative(mid) >= u)
        hi = mid;
      else
        lo = mid + 1;
    }
    const int k = lo;
    const double a = alpha(n_steps), s2 = sigma2(n_steps);
    for (int i = 0; i < dim; ++i) {
      double v = 0;
      if (target.isotropic(k))
        v = device::dsqrt(a * a * target.eigenvalues(k, 0) + s2) * xi[i];
      else
        for (int j = 0; j < dim; ++j)
          v += target.rotation(k, i, j) * device::dsqrt(a * a * target.eigenvalues(k, j) + s2) * xi[j];
      y[i] = a * target.mean(k, i) + v;
    }
  }

  KOKKOS_INLINE_FUNCTION void record(long item, int entry, const double* value) const {
    for (int l = 0; l < L; ++l)
      if (item * L + l < chunk_paths) log_phi(item * L + l, entry) = value[l];
  }

  KOKKOS_INLINE_FUNCTION void operator()(const long item) const {
    const std::uint64_t path0 = static_cast<std::uint64_t>(first_path + item * L);
    Vec y0, y, s, xi;
    double lphi[L];
    for (int l = 0; l < L; ++l) {
      double one[kMaxDim];
      start(path0 + static_cast<std::uint64_t>(l), one);
      for (int i = 0; i < dim; ++i) y0[i][l] = one[i];
    }
    for (int iw = 0; iw < n_scales; ++iw) {
      const double w = scales(iw);
      for (int i = 0; i < dim; ++i)
        for (int l = 0; l < L; ++l) y[i][l] = y0[i][l];
      device::StepNormals<L> noise{seed, path0};
      int cp = 0;
      if (checkpoints(0) == 0) {
        log_metric(n_steps, y, lphi);
        record(item, iw * n_checkpoints + cp++, lphi);
      }
      for (int st = 0; st < n_steps; ++st) {
        const int k = n_steps - st;
        if (sampler == static_cast<int>(SamplerKind::heun)) {
          Vec y1, b1;
          const double h = steps(st, kH), fk = steps(st, kFk), g2k = steps(st, kG2k);
          const double fk1 = steps(st, kFk1), g2k1 = steps(st, kG2k1);
          guided_score(k, y, w, s);
          for (int i = 0; i < dim; ++i)
            for (int l = 0; l < L; ++l) {
              b1[i][l] = -fk * y[i][l] + 0.5 * g2k * s[i][l];
              y1[i][l] = y[i][l] + h * b1[i][l];
            }
          guided_score(k - 1, y1, w, s);
          for (int i = 0; i < dim; ++i)
            for (int l = 0; l < L; ++l) {
              const double b2 = -fk1 * y1[i][l] + 0.5 * g2k1 * s[i][l];
              y[i][l] += 0.5 * h * (b1[i][l] + b2);
            }
        } else {
          guided_score(k, y, w, s);
          const double a = steps(st, kA), b = steps(st, kB), c = steps(st, kNoise);
          if (c != 0) {
            if (noise_refinement == 1) {
              noise.fill(st, dim, xi);
            } else {
              // The normalised sum of the r normals of the r fine steps this step spans:
              // the same Brownian path as a run with r times the steps (coupling across N).
              Vec part;
              for (int i = 0; i < dim; ++i)
                for (int l = 0; l < L; ++l) xi[i][l] = 0;
              for (int j = 0; j < noise_refinement; ++j) {
                noise.fill(st * noise_refinement + j, dim, part);
                for (int i = 0; i < dim; ++i)
                  for (int l = 0; l < L; ++l) xi[i][l] += part[i][l];
              }
              const double norm = 1.0 / device::dsqrt(static_cast<double>(noise_refinement));
              for (int i = 0; i < dim; ++i)
                for (int l = 0; l < L; ++l) xi[i][l] *= norm;
            }
            for (int i = 0; i < dim; ++i)
              for (int l = 0; l < L; ++l) y[i][l] = a * y[i][l] + b * s[i][l] + c * xi[i][l];
          } else {
            for (int i = 0; i < dim; ++i)
              for (int l = 0; l < L; ++l) y[i][l] = a * y[i][l] + b * s[i][l];
          }
        }
        if (cp < n_checkpoints && checkpoints(cp) == st + 1) {
          log_metric(k - 1, y, lphi);
          record(item, iw * n_checkpoints + cp++, lphi);
        }
      }
    }
  }
};

// Lanes per work item: 32 paths where the kernel runs on the host (four AVX-512
// vectors, eight AVX2 or sixteen SSE2 vectors: enough independent chains to hide
// the latency of the exp polynomial; 8 and 16 measured slower, 64 no faster,
// on the 1-D bench), 1 on a GPU (a path per thread).
// GDVERIFY_MC_LANES overrides it at build time (e.g. 1: compile the GPU layout
// as the default path on a host, as a check that it builds).
#ifdef GDVERIFY_MC_LANES
constexpr int kLanes = GDVERIFY_MC_LANES;
#else
constexpr int kLanes =
    std::is_same<Kokkos::DefaultExecutionSpace::memory_space, Kokkos::HostSpace>::value ? 32 : 1;
#endif
using Kernel = PathKernel<kLanes>;

// On x86-64 with GCC the host batch is compiled three times, for the
// baseline (SSE2), AVX2 and AVX-512F, each with the whole kernel inlined
// (flatten), and the widest one the CPU has runs unless the spec names one.
// With -ffp-contract=off on this file no version fuses a multiply-add, and the
// kernel calls no library maths, so all versions give the same bits (tested).
#if defined(__GNUC__) && !defined(__clang__) && !defined(__CUDACC__) && defined(__x86_64__)
#define GDVERIFY_X86_VERSIONS 1
#endif

using BatchFunction = void (*)(const Kernel&, long);

__attribute__((flatten)) void batch_baseline(const Kernel& kernel, long item) { kernel(item); }
#ifdef GDVERIFY_X86_VERSIONS
__attribute__((flatten, target("avx2"))) void batch_avx2(const Kernel& kernel, long item) { kernel(item); }
__attribute__((flatten, target("avx512f"))) void batch_avx512(const Kernel& kernel, long item) {
  kernel(item);
}
#endif

bool cpu_has(HostInstructionSet isa) {
#ifdef GDVERIFY_X86_VERSIONS
  __builtin_cpu_init();
  if (isa == HostInstructionSet::avx2) return __builtin_cpu_supports("avx2") != 0;
  if (isa == HostInstructionSet::avx512) return __builtin_cpu_supports("avx512f") != 0;
  return true;
#else
  return isa == HostInstructionSet::best || isa == HostInstructionSet::baseline;
#endif
}

BatchFunction batch_function(HostInstructionSet isa) {
  isa = resolve_host_instruction_set(isa);
#ifdef GDVERIFY_X86_VERSIONS
  if (isa == HostInstructionSet::avx512) return batch_avx512;
  if (isa == HostInstructionSet::avx2) return batch_avx2;
#endif
  (void)isa;
  return batch_baseline;
}

/// The host functor: one call of the chosen batch version per work item.
struct HostBatch {
  Kernel kernel;
  BatchFunction batch;
  void operator()(const long item) const { batch(kernel, item); }
};

/// Runs the chunk's paths: Lanes (= kLanes) per work item, or one (the GPU
/// layout) when the spec asks for it on a host backend. A template so that,
/// with a device execution space (Lanes = 1), the host-only HostBatch branch
/// is discarded and never instantiated as a device kernel.
template <int Lanes>
void launch_paths(const KernelData& data, const MonteCarloSpec& spec) {
  const long np = data.chunk_paths;
  auto policy = [](long items) { return Kokkos::RangePolicy<Kokkos::IndexType<long>>(0, items); };
  if constexpr (Lanes > 1) {
    if (!spec.single_lane) {
      Kernel kernel;
      static_cast<KernelData&>(kernel) = data;
      Kokkos::parallel_for("gdverify::paths", policy((np + Lanes - 1) / Lanes),
                           HostBatch{kernel, batch_function(spec.host_isa)});
      return;
    }
  }
  PathKernel<1> kernel;
  static_cast<KernelData&>(kernel) = data;
  Kokkos::parallel_for("gdverify::paths", policy(np), kernel);
}

/// log phi of the np paths first, first + 1, ...: chunk path x entry.
Kokkos::View<double**> run_chunk(KernelData data, long first, long np, int entries,
                                 const MonteCarloSpec& spec) {
  data.first_path = first;
  data.chunk_paths = np;
  data.log_phi = Kokkos::View<double**>("log_phi", np, entries);
  launch_paths<kLanes>(data, spec);
  return data.log_phi;
}

/// Reduces fixed blocks of the chunk's paths, sequentially in path order.
struct BlockKernel {
  Kokkos::View<double**> log_phi;
  Kokkos::View<double**> out;  // chunk block x (entry * kStatsPerEntry)
  long chunk_paths = 0;
  int block = 0, n_scales = 0, n_checkpoints = 0;

  // Statistic q of path p for (iw, j); false when an input is not finite.
  KOKKOS_INLINE_FUNCTION bool value(int q, long p, int iw, int j, double& x) const {
    const double lp = log_phi(p, iw * n_checkpoints + j);
    if (!device::dfinite(lp)) return false;
    switch (q) {
      case 0: x = device::dexp(lp); return true;
      case 1: x = lp; return true;
      case 2: {
        const double l0 = log_phi(p, j);
        if (!device::dfinite(l0)) return false;
        x = device::dexp(lp) - device::dexp(l0);
        return true;
      }
      case 3: {
        if (j == 0) {
          x = 0;
          return true;
        }
        const double lprev = log_phi(p, iw * n_checkpoints + j - 1);
        if (!device::dfinite(lprev)) return false;
        x = device::dexp(lp) - device::dexp(lprev);
        return true;
      }
      default: {
        if (iw == 0) {
          x = 0;
          return true;
        }
        const double lprev = log_phi(p, (iw - 1) * n_checkpoints + j);
        if (!device::dfinite(lprev)) return false;
        x = device::dexp(lp) - device::dexp(lprev);
        return true;
      }
    }
  }

  KOKKOS_INLINE_FUNCTION void operator()(const long b) const {
    const long p0 = b * block;
    const long p1 = (p0 + block < chunk_paths) ? p0 + block : chunk_paths;
    for (int iw = 0; iw < n_scales; ++iw)
      for (int j = 0; j < n_checkpoints; ++j) {
        const int base = (iw * n_checkpoints + j) * kStatsPerEntry;
        for (int q = 0; q < 5; ++q) {
          double n = 0, sum = 0, x = 0;
          for (long p = p0; p < p1; ++p)
            if (value(q, p, iw, j, x)) {
              n += 1;
              sum += x;
            }
          const double mean = n > 0 ? sum / n : 0.0;
          double m2 = 0;
          for (long p = p0; p < p1; ++p)
            if (value(q, p, iw, j, x)) m2 += (x - mean) * (x - mean);
          out(b, base + 3 * q) = n;
          out(b, base + 3 * q + 1) = mean;
          out(b, base + 3 * q + 2) = m2;
        }
        double improved = 0, nonfinite = 0;
        for (long p = p0; p < p1; ++p) {
          const double lp = log_phi(p, iw * n_checkpoints + j);
          const double l0 = log_phi(p, j);
          if (!device::dfinite(lp))
            nonfinite += 1;
          else if (device::dfinite(l0) && lp <= l0)
            improved += 1;
        }
        out(b, base + 15) = improved;
        out(b, base + 16) = nonfinite;
      }
  }
};

}  // namespace

bool host_instruction_set_available(HostInstructionSet isa) { return cpu_has(isa); }

HostInstructionSet resolve_host_instruction_set(HostInstructionSet isa) {
  if (isa != HostInstructionSet::best) return isa;
  if (cpu_has(HostInstructionSet::avx512)) return HostInstructionSet::avx512;
  if (cpu_has(HostInstructionSet::avx2)) return HostInstructionSet::avx2;
  return HostInstructionSet::baseline;
}

struct MonteCarloEngine::Impl {
  KernelData kernel;
  int n_entries = 0;
  std::vector<double> checkpoint_times;
};

MonteCarloEngine::MonteCarloEngine(const GuidanceProblem<double>& problem,
                                   const ForwardProcess<double>& process, MonteCarloSpec spec)
    : spec_(std::move(spec)) {
  ensure_kokkos_initialized();
  const auto& g = spec_.grid;
  const int d = problem.dimension();
  if (d < 1 || d > kMonteCarloMaxDimension)
    throw InvalidParameter("dimension", "the Monte Carlo engine handles 1 <= d <= 64");
  if (g.size() < 2) throw InvalidParameter("steps", "must be >= 1 (the grid needs two points)");
  for (std::size_t i = 0; i < g.size(); ++i) {
    if (!std::isfinite(g[i])) throw InvalidParameter("grid", "time is not finite");
    if (i > 0 && !(g[i] > g[i - 1])) throw InvalidParameter("grid", "times must increase strictly");
  }
  if (!(g.front() > 0)) throw InvalidParameter("early_stop", "the grid must end at t = delta > 0");
  if (g.back() > process.horizon() * (1 + 1e-15))
    throw InvalidParameter("grid", "the start time exceeds the schedule's horizon");
  for (double w : spec_.guidance_scales)
    if (!std::isfinite(w) || w < 0) throw InvalidParameter("guidance.scales", "w must be finite and >= 0");
  if (spec_.block_size < 1) throw InvalidParameter("monte_carlo.block_size", "must be >= 1");
  if (spec_.noise_refinement < 1) throw InvalidParameter("noise_refinement", "must be >= 1");
  if (!host_instruction_set_available(spec_.host_isa))
    throw InvalidParameter("monte_carlo.host_isa", host_instruction_set_name(spec_.host_isa) +
                                                       " is not available on this CPU or build");
  if (spec_.chunk_paths < spec_.block_size)
    throw InvalidParameter("monte_carlo.chunk_paths", "must be at least one block");
  const int n = static_cast<int>(g.size()) - 1;
  if (spec_.sampler == SamplerKind::ddpm || spec_.sampler == SamplerKind::ddim)
    for (int k = 1; k <= n; ++k)
      if (!(process.alpha(g[static_cast<std::size_t>(k)]) <
            process.alpha(g[static_cast<std::size_t>(k - 1)])))
        throw InvalidParameter("grid", "alpha_t must decrease along the grid for the DDPM/DDIM steps");
  // Scales: w = 0 first, then the others in the given order, no repeats.
  std::vector<double> scales{0.0};
  for (double w : spec_.guidance_scales)
    if (std::find(scales.begin(), scales.end(), w) == scales.end()) scales.push_back(w);
  spec_.guidance_scales = scales;
  std::vector<int> cps;
  for (int c : spec_.checkpoints) {
    if (c < 0 || c > n) throw InvalidParameter("checkpoints", "must lie in 0..N");
    cps.push_back(c);
  }
  cps.push_back(n);
  std::sort(cps.begin(), cps.end());
  cps.erase(std::unique(cps.begin(), cps.end()), cps.end());
  spec_.checkpoints = cps;

  impl_ = std::make_unique<Impl>();
  auto& kr = impl_->kernel;
  std::vector<double> alpha(g.size()), s2(g.size());
  for (std::size_t i = 0; i < g.size(); ++i) {
    alpha[i] = process.alpha(g[i]);
    s2[i] = process.sigma2(g[i]);
  }
  kr.base = build_mixture(problem.base(), alpha, s2);
  kr.target = build_mixture(problem.target(), alpha, s2);
  kr.log_kappa = problem.log_metric_scale();
  if (problem.kind() == GuidanceKind::cfg || problem.kind() == GuidanceKind::classifier_reward) {
    kr.shared_class = problem.guided_class();
    kr.log_prior_c = std::log(problem.base().prior(problem.guided_class()));
  }
  kr.alpha = Kokkos::View<double*>("alpha", g.size());
  kr.sigma2 = Kokkos::View<double*>("sigma2", g.size());
  {
    auto ha = Kokkos::create_mirror_view(kr.alpha);
    auto hs = Kokkos::create_mirror_view(kr.sigma2);
    for (std::size_t i = 0; i < g.size(); ++i) {
      ha(i) = alpha[i];
      hs(i) = s2[i];
    }
    Kokkos::deep_copy(kr.alpha, ha);
    Kokkos::deep_copy(kr.sigma2, hs);
  }
  kr.steps = Kokkos::View<double**>("steps", n, static_cast<int>(kColumns));
  auto hst = Kokkos::create_mirror_view(kr.steps);
  const std::vector<SamplerStep> table = sampler_steps(spec_.sampler, process, g);
  for (int st = 0; st < n; ++st) {
    const SamplerStep& row = table[static_cast<std::size_t>(st)];
    hst(st, kA) = row.a;
    hst(st, kB) = row.b;
    hst(st, kNoise) = row.noise;
    hst(st, kH) = row.h;
    hst(st, kFk) = row.f_k;
    hst(st, kG2k) = row.g2_k;
    hst(st, kFk1) = row.f_k1;
    hst(st, kG2k1) = row.g2_k1;
  }
  Kokkos::deep_copy(kr.steps, hst);
  kr.scales = Kokkos::View<double*>("scales", scales.size());
  kr.checkpoints = Kokkos::View<int*>("checkpoints", cps.size());
  {
    auto hw = Kokkos::create_mirror_view(kr.scales);
    auto hc = Kokkos::create_mirror_view(kr.checkpoints);
    for (std::size_t i = 0; i < scales.size(); ++i) hw(i) = scales[i];
    for (std::size_t i = 0; i < cps.size(); ++i) hc(i) = cps[i];
    Kokkos::deep_copy(kr.scales, hw);
    Kokkos::deep_copy(kr.checkpoints, hc);
  }
  kr.n_steps = n;
  kr.dim = d;
  kr.n_scales = static_cast<int>(scales.size());
  kr.n_checkpoints = static_cast<int>(cps.size());
  kr.sampler = static_cast<int>(spec_.sampler);
  kr.start_exact = spec_.start == StartLaw::exact ? 1 : 0;
  kr.noise_refinement = spec_.noise_refinement;
  kr.seed = spec_.seed;
  impl_->n_entries = kr.n_scales * kr.n_checkpoints;
  for (int c : cps) impl_->checkpoint_times.push_back(g[static_cast<std::size_t>(n - c)]);
}

MonteCarloEngine::~MonteCarloEngine() = default;
MonteCarloEngine::MonteCarloEngine(MonteCarloEngine&&) noexcept = default;
MonteCarloEngine& MonteCarloEngine::operator=(MonteCarloEngine&&) noexcept = default;

long MonteCarloEngine::blocks_for(long total_paths) const {
  return (total_paths + spec_.block_size - 1) / spec_.block_size;
}

std::size_t MonteCarloEngine::device_bytes_per_path() const {
  const auto e = static_cast<std::size_t>(impl_->n_entries);
  return e * sizeof(double) +
         (e * kStatsPerEntry * sizeof(double)) / static_cast<std::size_t>(spec_.block_size);
}

namespace {

/// Reduces the fixed blocks of a chunk's log phi (chunk path x entry) into
/// `out`, one PathStatistics per (block, entry), block-major.
void reduce_chunk(const Kokkos::View<double**>& log_phi, long np, long blocks, int bsize, int n_scales,
                  int n_checkpoints, std::vector<PathStatistics>& out) {
  const int entries = n_scales * n_checkpoints;
  BlockKernel bk;
  bk.log_phi = log_phi;
  bk.out = Kokkos::View<double**>("block_stats", blocks, entries * kStatsPerEntry);
  bk.chunk_paths = np;
  bk.block = bsize;
  bk.n_scales = n_scales;
  bk.n_checkpoints = n_checkpoints;
  Kokkos::parallel_for("gdverify::blocks", Kokkos::RangePolicy<Kokkos::IndexType<long>>(0, blocks), bk);
  auto h = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), bk.out);
  for (long b = 0; b < blocks; ++b)
    for (int e = 0; e < entries; ++e) {
      const int base = e * kStatsPerEntry;
      PathStatistics s;
      RunningMoments* m[5] = {&s.phi, &s.log_phi, &s.diff_w0, &s.diff_tau, &s.diff_prev_w};
      for (int q = 0; q < 5; ++q)
        *m[q] = {h(b, base + 3 * q), h(b, base + 3 * q + 1), h(b, base + 3 * q + 2)};
      s.improved = h(b, base + 15);
      s.nonfinite = h(b, base + 16);
      out.push_back(s);
    }
}

}  // namespace

BlockPartials MonteCarloEngine::run_blocks(long total_paths, long block_begin, long block_end) const {
  if (total_paths < 1) throw InvalidParameter("monte_carlo.paths", "must be >= 1");
  const long nblocks = blocks_for(total_paths);
  if (block_begin < 0 || block_end > nblocks || block_begin > block_end)
    throw InvalidParameter("blocks", "block range outside the run");
  const long bsize = spec_.block_size;
  const long chunk_blocks = std::max(1L, spec_.chunk_paths / bsize);
  const int entries = impl_->n_entries;
  BlockPartials out;
  out.first_block = block_begin;
  out.stats.reserve(static_cast<std::size_t>((block_end - block_begin) * entries));
  for (long b0 = block_begin; b0 < block_end; b0 += chunk_blocks) {
    const long b1 = std::min(block_end, b0 + chunk_blocks);
    const long p0 = b0 * bsize;
    const long np = std::min(total_paths, b1 * bsize) - p0;
    reduce_chunk(run_chunk(impl_->kernel, p0, np, entries, spec_), np, b1 - b0, static_cast<int>(bsize),
                 impl_->kernel.n_scales, impl_->kernel.n_checkpoints, out.stats);
  }
  return out;
}

MonteCarloSums MonteCarloEngine::reduce(long total_paths, const std::vector<double>& log_phi) const {
  if (total_paths < 1) throw InvalidParameter("monte_carlo.paths", "must be >= 1");
  const int entries = impl_->n_entries;
  if (log_phi.size() != static_cast<std::size_t>(total_paths) * static_cast<std::size_t>(entries))
    throw InvalidParameter("log_phi", "needs paths x (scales x checkpoints) values");
  Kokkos::View<double**> view("log_phi", total_paths, entries);
  auto h = Kokkos::create_mirror_view(view);
  for (long i = 0; i < total_paths; ++i)
    for (int e = 0; e < entries; ++e) h(i, e) = log_phi[static_cast<std::size_t>(i * entries + e)];
  Kokkos::deep_copy(view, h);
  BlockPartials part;
  reduce_chunk(view, total_paths, blocks_for(total_paths), spec_.block_size, impl_->kernel.n_scales,
               impl_->kernel.n_checkpoints, part.stats);
  return combine(total_paths, {part});
}

std::vector<double> MonteCarloEngine::start_points(long first_path, long n) const {
  if (first_path < 0 || n < 0) throw InvalidParameter("paths", "must be >= 0");
  const int d = impl_->kernel.dim;
  Kokkos::View<double**> out("start_points", n, d);
  PathKernel<1> kernel;
  static_cast<KernelData&>(kernel) = impl_->kernel;
  Kokkos::parallel_for(
      "gdverify::start_points", Kokkos::RangePolicy<Kokkos::IndexType<long>>(0, n),
      KOKKOS_LAMBDA(const long i) {
        double y[kMaxDim];
        kernel.start(static_cast<std::uint64_t>(first_path + i), y);
        for (int j = 0; j < d; ++j) out(i, j) = y[j];
      });
  auto h = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), out);
  std::vector<double> pts(static_cast<std::size_t>(n * d));
  for (long i = 0; i < n; ++i)
    for (int j = 0; j < d; ++j) pts[static_cast<std::size_t>(i * d + j)] = h(i, j);
  return pts;
}

MonteCarloSums MonteCarloEngine::combine(long total_paths, const std::vector<BlockPartials>& parts) const {
  const int entries = impl_->n_entries;
  std::vector<const BlockPartials*> order;
  for (const auto& p : parts) order.push_back(&p);
  std::sort(order.begin(), order.end(), [](auto* a, auto* b) { return a->first_block < b->first_block; });
  MonteCarloSums sums;
  sums.guidance_scales = spec_.guidance_scales;
  sums.checkpoints = spec_.checkpoints;
  sums.checkpoint_times = impl_->checkpoint_times;
  sums.paths = total_paths;
  sums.stats.assign(static_cast<std::size_t>(entries), PathStatistics{});
  long next = 0;
  for (const auto* p : order) {
    if (p->first_block != next) throw std::logic_error("Monte Carlo partials do not tile the block range");
    const long nb = static_cast<long>(p->stats.size()) / entries;
    for (long b = 0; b < nb; ++b)
      for (int e = 0; e < entries; ++e)
        sums.stats[static_cast<std::size_t>(e)].merge(p->stats[static_cast<std::size_t>(b * entries + e)]);
    next += nb;
  }
  if (next != blocks_for(total_paths)) throw std::logic_error("Monte Carlo partials miss blocks of the run");
  return sums;
}

std::vector<double> MonteCarloEngine::path_log_metrics(long total_paths) const {
  if (total_paths < 1) throw InvalidParameter("monte_carlo.paths", "must be >= 1");
  const int entries = impl_->n_entries;
  std::vector<double> out;
  out.reserve(static_cast<std::size_t>(total_paths * entries));
  const long chunk = std::max<long>(spec_.chunk_paths, 1);
  for (long p0 = 0; p0 < total_paths; p0 += chunk) {
    const long np = std::min(chunk, total_paths - p0);
    auto h = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(),
                                                 run_chunk(impl_->kernel, p0, np, entries, spec_));
    for (long i = 0; i < np; ++i)
      for (int e = 0; e < entries; ++e) out.push_back(h(i, e));
  }
  return out;
}

MonteCarloSums MonteCarloEngine::run(long total_paths) const {
  return combine(total_paths, {run_blocks(total_paths, 0, blocks_for(total_paths))});
}

}  // namespace gdverify::numerics
