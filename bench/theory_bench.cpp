// Google Benchmark: cost of the theory layer's evaluations that every check
// and sampler is built on. Speed is measured here, never asserted in tests.
#include <benchmark/benchmark.h>

#include "gdverify/numerics/data_sets.hpp"
#include "gdverify/numerics/scenario.hpp"
#include "gdverify/theory.hpp"

namespace {

using namespace gdverify;

template <class Real>
void BM_LogMetric1D(benchmark::State& state) {
  const auto sc = numerics::default_scenario();
  const GuidedScore<Real> field(GuidanceProblem<Real>::cfg(sc.mixture<Real>(), 0),
                                ForwardProcess<Real>::ou(Real(2)), Real(1) / 2);
  Vector<Real> y(1);
  y(0) = Real(1) / 3;
  for (auto _ : state) {
    benchmark::DoNotOptimize(field.log_metric(y));
    y(0) += Real(1) / 1024;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK_TEMPLATE(BM_LogMetric1D, double);
BENCHMARK_TEMPLATE(BM_LogMetric1D, Real50);

template <class Real>
void BM_GuidedScore1D(benchmark::State& state) {
  const auto sc = numerics::default_scenario();
  const GuidedScore<Real> field(GuidanceProblem<Real>::cfg(sc.mixture<Real>(), 0),
                                ForwardProcess<Real>::ou(Real(2)), Real(1) / 2);
  Vector<Real> y(1);
  y(0) = Real(1) / 3;
  for (auto _ : state) benchmark::DoNotOptimize(field.score(y, Real(2)));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK_TEMPLATE(BM_GuidedScore1D, double);
BENCHMARK_TEMPLATE(BM_GuidedScore1D, Real50);

void BM_DigitsGuidedScore(benchmark::State& state) {
  const auto data = numerics::load_data_set("digits");
  const auto mix = numerics::empirical_mixture<double>(data);
  const GuidedScore<double> field(GuidanceProblem<double>::cfg(mix, 3), ForwardProcess<double>::ou(2.0), 0.5);
  Vector<double> y = Vector<double>::Constant(64, 4.0);
  for (auto _ : state) benchmark::DoNotOptimize(field.score(y, 2.0));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DigitsGuidedScore)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
