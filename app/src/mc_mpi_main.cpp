// gdverify-mc-mpi: the Monte Carlo engine split across MPI ranks.
//
// The run's fixed blocks of paths are dealt out in contiguous ranges, one per
// rank; every rank reduces its blocks, rank 0 gathers the block statistics
// (MPI_Gatherv, in rank order = block order) and combines them exactly as a
// single process does, so the numbers are bit-for-bit those of a one-process
// run (monte_carlo_engine.hpp). With --verify-single, rank 0 also runs the
// whole range alone and exits 1 unless every bit agrees.
//
//   mpirun -n 2 gdverify-mc-mpi --paths 100000 --verify-single
//   mpirun -n 64 --hostfile hosts gdverify-mc-mpi --paths 100000000   (several nodes)
#include <mpi.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstring>
#include <iostream>

#include "gdverify/numerics/monte_carlo_engine.hpp"
#include "gdverify/numerics/monte_carlo_estimators.hpp"
#include "gdverify/numerics/scenario.hpp"
#include "gdverify/numerics/scenario_file.hpp"
#include "gdverify/numerics/vocabulary.hpp"

namespace {

using namespace gdverify::numerics;

constexpr int kDoublesPerStat = 17;

void pack(const PathStatistics& s, double* out) {
  const RunningMoments* m[5] = {&s.phi, &s.log_phi, &s.diff_w0, &s.diff_tau, &s.diff_prev_w};
  for (int q = 0; q < 5; ++q) {
    out[3 * q] = m[q]->n;
    out[3 * q + 1] = m[q]->mean;
    out[3 * q + 2] = m[q]->m2;
  }
  out[15] = s.improved;
  out[16] = s.nonfinite;
}

PathStatistics unpack(const double* in) {
  PathStatistics s;
  RunningMoments* m[5] = {&s.phi, &s.log_phi, &s.diff_w0, &s.diff_tau, &s.diff_prev_w};
  for (int q = 0; q < 5; ++q) *m[q] = {in[3 * q], in[3 * q + 1], in[3 * q + 2]};
  s.improved = in[15];
  s.nonfinite = in[16];
  return s;
}

bool identical(const MonteCarloSums& a, const MonteCarloSums& b) {
  if (a.stats.size() != b.stats.size()) return false;
  std::vector<double> x(kDoublesPerStat), y(kDoublesPerStat);
  for (std::size_t i = 0; i < a.stats.size(); ++i) {
    pack(a.stats[i], x.data());
    pack(b.stats[i], y.data());
    if (std::memcmp(x.data(), y.data(), sizeof(double) * kDoublesPerStat) != 0) return false;
  }
  return true;
}

std::string hex(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%a", v);
  return buf;
}

}  // namespace

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  CLI::App app{"gdverify Monte Carlo engine across MPI ranks (the default scenario's CFG problem)"};
  long paths = 100000;
  int steps = 50;
  std::string sampler = "euler-maruyama", scenario_file;
  bool verify = false;
  app.add_option("--paths", paths, "number of paths")->check(CLI::PositiveNumber);
  app.add_option("--steps", steps, "number of sampler steps")->check(CLI::PositiveNumber);
  app.add_option("--sampler", sampler, "euler-maruyama, ddpm, ddim or heun");
  app.add_option("--scenario", scenario_file, "scenario TOML file (default: the built-in scenario)");
  app.add_flag("--verify-single", verify, "rank 0 reruns everything alone and requires identical bits");
  int code = 0;
  try {
    app.parse(argc, argv);
    const Scenario sc = scenario_file.empty() ? default_scenario() : load_scenario(scenario_file);
    MonteCarloSpec spec;
    spec.sampler = parse_sampler(sampler, "--sampler");
    spec.grid = uniform_grid(sc.early_stop, sc.ou_horizon, steps);
    spec.guidance_scales = sc.guidance_scales;
    spec.seed = sc.seed;
    const MonteCarloEngine engine(
        gdverify::GuidanceProblem<double>::cfg(sc.mixture<double>(), sc.guided_class),
        sc.process<double>("ou"), spec);
    const long nb = engine.blocks_for(paths);
    const long b0 = nb * rank / size, b1 = nb * (rank + 1) / size;
    const BlockPartials mine = engine.run_blocks(paths, b0, b1);
    std::vector<double> send(mine.stats.size() * kDoublesPerStat);
    for (std::size_t i = 0; i < mine.stats.size(); ++i)
      pack(mine.stats[i], send.data() + i * kDoublesPerStat);
    const int count = static_cast<int>(send.size());
    std::vector<int> counts(static_cast<std::size_t>(size)), displs(static_cast<std::size_t>(size));
    MPI_Gather(&count, 1, MPI_INT, counts.data(), 1, MPI_INT, 0, MPI_COMM_WORLD);
    std::vector<double> all;
    if (rank == 0) {
      int total = 0;
      for (int r = 0; r < size; ++r) {
        displs[static_cast<std::size_t>(r)] = total;
        total += counts[static_cast<std::size_t>(r)];
      }
      all.resize(static_cast<std::size_t>(total));
    }
    MPI_Gatherv(send.data(), count, MPI_DOUBLE, all.data(), counts.data(), displs.data(), MPI_DOUBLE, 0,
                MPI_COMM_WORLD);
    if (rank == 0) {
      std::vector<BlockPartials> parts;
      for (int r = 0; r < size; ++r) {
        BlockPartials p;
        p.first_block = nb * r / size;
        const std::size_t n = static_cast<std::size_t>(counts[static_cast<std::size_t>(r)]) / kDoublesPerStat;
        for (std::size_t i = 0; i < n; ++i)
          p.stats.push_back(unpack(all.data() + displs[static_cast<std::size_t>(r)] + i * kDoublesPerStat));
        parts.push_back(std::move(p));
      }
      const MonteCarloSums sums = engine.combine(paths, parts);
      const double z = two_sided_normal_quantile(0.05);
      std::cout << "{\n  \"ranks\": " << size << ",\n  \"paths\": " << paths << ",\n  \"sampler\": \""
                << sampler << "\",\n  \"final\": [\n";
      const std::size_t last = sums.checkpoints.size() - 1;
      for (std::size_t iw = 0; iw < sums.guidance_scales.size(); ++iw) {
        const auto& st = sums.at(iw, last);
        const auto m = mean_interval(st.log_phi, z);
        std::cout << "    {\"w\": " << sums.guidance_scales[iw] << ", \"E_log_phi\": " << m.mean
                  << ", \"E_log_phi_hex\": \"" << hex(m.mean) << "\", \"E_phi_minus_phi0_hex\": \""
                  << hex(st.diff_w0.mean) << "\", \"improved\": " << st.improved << "}"
                  << (iw + 1 < sums.guidance_scales.size() ? "," : "") << "\n";
      }
      std::cout << "  ]";
      if (verify) {
        const bool same = identical(sums, engine.run(paths));
        std::cout << ",\n  \"identical_to_single_process\": " << (same ? "true" : "false");
        if (!same) code = 1;
      }
      std::cout << "\n}\n";
    }
  } catch (const CLI::ParseError& e) {
    code = rank == 0 ? app.exit(e) : 2;
    if (code == 0) {
      MPI_Finalize();
      return 0;
    }
  } catch (const std::exception& e) {
    if (rank == 0) std::cerr << "gdverify-mc-mpi: error: " << e.what() << "\n";
    code = 2;
  }
  MPI_Finalize();
  return code;
}
