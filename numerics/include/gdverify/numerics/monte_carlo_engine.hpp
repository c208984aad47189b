// The Monte Carlo engine (THEORY.md section 4, oracle 3): many independent
// paths of a guided sampler in double precision, written once against Kokkos
// (numerics/src/monte_carlo_engine.cpp) so that the same code runs on the
// Serial backend Debian ships, on OpenMP or on CUDA. This header is free of
// Kokkos: callers need neither its headers nor its flags.
//
// Reproducibility. Every Gaussian draw is a function of (seed, path, step,
// coordinate) only (Philox4x32-10, numerics/src/device/philox_normals.hpp), so
// a path's trajectory does not depend on the backend's thread count or on how
// paths are split between calls, processes or ranks; the noise is shared by
// every guidance scale w (coupled runs). Paths are grouped into fixed blocks
// of `block_size` consecutive indices; each block is reduced sequentially in
// path order, and blocks are combined in block order (Chan's pairwise update
// of mean and centred second moment). A split of the path range at block
// boundaries therefore reproduces the single-run numbers bit for bit.
// The kernels use their own exp/log/sin/cos made of IEEE basic operations and
// no fused multiply-add, so a path's bits do not depend on the backend's libm
// or on the host instruction set either (numerics/src/device/device_math.hpp).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "gdverify/numerics/gaussian_oracle.hpp"
#include "gdverify/numerics/vocabulary.hpp"
#include "gdverify/theory/forward_process.hpp"
#include "gdverify/theory/guidance_problem.hpp"

namespace gdverify::numerics {

// StartLaw and start_law_name are in vocabulary.hpp.

/// The largest dimension the device kernels hold in registers/local arrays.
inline constexpr int kMonteCarloMaxDimension = 64;

/// Instruction set of the host kernel (x86-64 with GCC; elsewhere only
/// `best` and `baseline` exist and they are the same code). Every choice gives
/// the same bits: the kernel uses no fused multiply-add and no library maths.
enum class HostInstructionSet { best, baseline, avx2, avx512 };

/// "best", "baseline", "avx2", "avx512".
std::string host_instruction_set_name(HostInstructionSet isa);
/// Whether this build and this CPU can run `isa` (best and baseline always can).
bool host_instruction_set_available(HostInstructionSet isa);
/// The version `isa` runs as: `best` becomes the widest this CPU has.
HostInstructionSet resolve_host_instruction_set(HostInstructionSet isa);

struct MonteCarloSpec {
  SamplerKind sampler = SamplerKind::euler_maruyama;
  /// t_end = grid[0] < grid[1] < ... < grid[N] = t_start: the sampler steps
  /// from grid[N] down to grid[0] (early stopping: grid[0] = delta > 0).
  std::vector<double> grid;
  /// Guidance scales w >= 0. w = 0 is run as well (prepended when absent):
  /// it is the coupled control of every estimator.
  std::vector<double> guidance_scales;
  /// Numbers of steps taken (0..N) after which phi is recorded; N is always added.
  std::vector<int> checkpoints;
  StartLaw start = StartLaw::exact;
  std::uint64_t seed = 20261123;
  int block_size = 1024;  ///< paths per reduction block (fixed: it defines the sums)
  /// r > 1: step k's normal is the normalised sum of the normals of steps
  /// k r ... k r + r - 1, i.e. the Brownian path of a run with r times the steps
  /// on the nested uniform grid; runs with N and r N steps are then coupled.
  int noise_refinement = 1;
  long chunk_paths = 1L << 16;  ///< paths resident on the device at once (memory only)
  /// Host backends only; results do not depend on it (tested), speed does.
  HostInstructionSet host_isa = HostInstructionSet::best;
  /// Host backends run 32 paths per work item (vectorised across paths); true
  /// runs one per work item, the layout a GPU uses. Same bits either way (tested).
  bool single_lane = false;
};

/// Statistics of one quantity over a set of paths: count, mean and centred
/// second moment (sum of squared deviations from the mean).
struct RunningMoments {
  double n = 0;
  double mean = 0;
  double m2 = 0;
  /// Chan et al.'s pairwise update; combining in a fixed order is deterministic.
  void merge(const RunningMoments& b);
  /// Adds one value (a merge with the one-value moments {1, x, 0}).
  void add(double x) { merge({1, x, 0}); }
  [[nodiscard]] double variance() const { return n > 1 ? m2 / (n - 1) : 0.0; }
};

/// Per (w, checkpoint) statistics accumulated over paths.
struct PathStatistics {
  RunningMoments phi;          ///< phi(Y^w)
  RunningMoments log_phi;      ///< log phi(Y^w)
  RunningMoments diff_w0;      ///< phi(Y^w) - phi(Y^0), same path (coupled)
  RunningMoments diff_tau;     ///< phi at this checkpoint minus at the previous one (0 at the first)
  RunningMoments diff_prev_w;  ///< phi(Y^{w_i}) - phi(Y^{w_{i-1}}) (0 for i = 0)
  double improved = 0;         ///< #paths with phi(Y^w) <= phi(Y^0), i.e. p(c|Y^w) >= p(c|Y^0)
  double nonfinite = 0;        ///< #paths whose log phi was not finite (left out of the moments)
  void merge(const PathStatistics& b);
};

/// The reduced statistics of a block range [first_block, first_block + blocks).
struct BlockPartials {
  long first_block = 0;
  /// blocks x (scales x checkpoints) statistics, block-major.
  std::vector<PathStatistics> stats;
};

/// Everything a run produced, combined in block order.
struct MonteCarloSums {
  std::vector<double> guidance_scales;   ///< with w = 0 first
  std::vector<int> checkpoints;          ///< steps taken, increasing, ending with N
  std::vector<double> checkpoint_times;  ///< t at each checkpoint
  long paths = 0;
  std::vector<PathStatistics> stats;  ///< scales x checkpoints, scale-major
  [[nodiscard]] const PathStatistics& at(std::size_t w_index, std::size_t checkpoint) const {
    return stats[w_index * checkpoints.size() + checkpoint];
  }
};

class MonteCarloEngine {
 public:
  /// Validates everything up front (InvalidParameter naming the field).
  MonteCarloEngine(const GuidanceProblem<double>& problem, const ForwardProcess<double>& process,
                   MonteCarloSpec spec);
  ~MonteCarloEngine();
  MonteCarloEngine(MonteCarloEngine&&) noexcept;
  MonteCarloEngine& operator=(MonteCarloEngine&&) noexcept;

  /// Simulates the paths of blocks [block_begin, block_end) of a run of
  /// `total_paths` paths (the last block may be short) and reduces each block.
  [[nodiscard]] BlockPartials run_blocks(long total_paths, long block_begin, long block_end) const;
  /// Combines partials covering all blocks of a run, in block order.
  [[nodiscard]] MonteCarloSums combine(long total_paths, const std::vector<BlockPartials>& parts) const;
  /// run_blocks over everything, then combine.
  [[nodiscard]] MonteCarloSums run(long total_paths) const;
  /// log phi of every path at every (scale, checkpoint), path-major (paths x
  /// entries), for paired comparisons across runs (e.g. coupled step counts).
  [[nodiscard]] std::vector<double> path_log_metrics(long total_paths) const;
  /// Reduces log phi values made elsewhere (the model sampler), laid out as
  /// path_log_metrics gives them, with this engine's block statistics: the
  /// same estimators, sums and order as run().
  [[nodiscard]] MonteCarloSums reduce(long total_paths, const std::vector<double>& log_phi) const;
  /// The start points of paths first_path ... first_path + n - 1 (n x d,
  /// row-major): the draws every run of this engine starts from.
  [[nodiscard]] std::vector<double> start_points(long first_path, long n) const;

  [[nodiscard]] long blocks_for(long total_paths) const;
  [[nodiscard]] const MonteCarloSpec& spec() const { return spec_; }
  /// The scales actually run (w = 0 first) and the checkpoints (N last).
  [[nodiscard]] const std::vector<double>& scales() const { return spec_.guidance_scales; }
  [[nodiscard]] const std::vector<int>& checkpoints() const { return spec_.checkpoints; }
  /// Bytes of device memory held per resident path (state of the chunk).
  [[nodiscard]] std::size_t device_bytes_per_path() const;

 private:
  struct Impl;
  MonteCarloSpec spec_;
  std::unique_ptr<Impl> impl_;
};

/// Initialises Kokkos if nobody has (finalised at exit). Every entry point of
/// the engine calls it; programs that manage Kokkos themselves are left alone.
void ensure_kokkos_initialized();

/// The uniform grid of N steps from t_end to t_start.
std::vector<double> uniform_grid(double t_end, double t_start, int steps);

/// Two standard normals of the counter-based generator at (seed, path, stream,
/// pair): the host view of the device generator, for tests. Stream 0 holds the
/// sampler's normals (normal n = step * d + coordinate is half of pair n / 2),
/// streams 1 and 2 the start's normals and component uniform.
std::pair<double, double> philox_normal_pair(std::uint64_t seed, std::uint64_t path, std::uint32_t stream,
                                             std::uint32_t pair);

}  // namespace gdverify::numerics
