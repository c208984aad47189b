// Throughput of the Monte Carlo engine, in path-steps per second (one
// path-step = one sampler step of one path at one guidance scale), on the two
// workloads of the NumPy peer (bench/numpy_peer.py):
//   1d_cfg:  the built-in 1-D two-class scenario (3 components), CFG, w in {0, 1}
//   digits:  the 64-d digits empirical mixture (1797 isotropic components), CFG class 0, w in {0, 1}
// and the 1-D workload once per host instruction-set version of the kernel.
// Euler-Maruyama on ou (T = 2, delta = 1e-3), exact start; the count excludes
// the start and the metric evaluations at the end. Also reported: the device
// memory the engine holds per resident path and the process's peak RSS.
// Side by side with NumPy: bash bench/side_by_side.sh
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include "gdverify/numerics/monte_carlo_engine.hpp"
#include "gdverify/numerics/scenario.hpp"

namespace {

using namespace gdverify::numerics;

gdverify::GuidanceProblem<double> digits_problem() {
  DataSet data = load_data_set("digits");
  for (auto& p : data.points)
    for (auto& x : p) x = x / 8.0 - 1.0;
  return gdverify::GuidanceProblem<double>::cfg(empirical_mixture<double>(data), 0);
}

void run_workload(benchmark::State& state, const gdverify::GuidanceProblem<double>& problem, int steps,
                  HostInstructionSet isa = HostInstructionSet::best) {
  const long paths = state.range(0);
  if (!host_instruction_set_available(isa)) {
    state.SkipWithError("instruction set not available on this CPU");
    return;
  }
  MonteCarloSpec spec;
  spec.host_isa = isa;
  state.SetLabel(host_instruction_set_name(resolve_host_instruction_set(isa)));
  spec.sampler = SamplerKind::euler_maruyama;
  spec.grid = uniform_grid(1e-3, 2.0, steps);
  spec.guidance_scales = {1.0};
  const MonteCarloEngine engine(problem, gdverify::ForwardProcess<double>::ou(2.0), spec);
  for (auto _ : state) {
    auto sums = engine.run(paths);
    benchmark::DoNotOptimize(sums.stats.data());
  }
  const double path_steps = static_cast<double>(paths) * steps * 2;  // two scales
  state.counters["path_steps_per_s"] =
      benchmark::Counter(path_steps, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["device_bytes_per_resident_path"] = static_cast<double>(engine.device_bytes_per_path());
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  state.counters["peak_rss_MiB"] = static_cast<double>(ru.ru_maxrss) / 1024.0;
}

void BM_OneDimensionalCfg(benchmark::State& state) {
  const Scenario sc = default_scenario();
  run_workload(state, gdverify::GuidanceProblem<double>::cfg(sc.mixture<double>(), sc.guided_class), 100);
}
BENCHMARK(BM_OneDimensionalCfg)->Arg(1 << 16)->Arg(1 << 20)->Unit(benchmark::kMillisecond);

// The same 1-D workload with each host instruction-set version of the kernel
// (same bits, different speed): 0 baseline SSE2, 1 AVX2, 2 AVX-512F.
void BM_OneDimensionalCfgByIsa(benchmark::State& state) {
  const Scenario sc = default_scenario();
  const HostInstructionSet isa[] = {HostInstructionSet::baseline, HostInstructionSet::avx2,
                                    HostInstructionSet::avx512};
  run_workload(state, gdverify::GuidanceProblem<double>::cfg(sc.mixture<double>(), sc.guided_class), 100,
               isa[state.range(1)]);
}
BENCHMARK(BM_OneDimensionalCfgByIsa)
    ->Args({1 << 16, 0})
    ->Args({1 << 16, 1})
    ->Args({1 << 16, 2})
    ->Unit(benchmark::kMillisecond);

void BM_DigitsCfg(benchmark::State& state) { run_workload(state, digits_problem(), 10); }
BENCHMARK(BM_DigitsCfg)->Arg(256)->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
  ensure_kokkos_initialized();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
