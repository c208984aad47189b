// A scenario: the problem a user wants checked (data, schedules, guidance),
// held in double as read from a file or built in, and converted exactly to
// any scalar type on demand. THEORY.md sections 1-2 define every field.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "gdverify/numerics/data_sets.hpp"
#include "gdverify/numerics/vocabulary.hpp"
#include "gdverify/theory/forward_process.hpp"
#include "gdverify/theory/gaussian_reward.hpp"
#include "gdverify/theory/guidance_problem.hpp"
#include "gdverify/theory/linear_algebra.hpp"
#include "gdverify/theory/mixture_model.hpp"

namespace gdverify::numerics {

/// What one scenario may ask for (docs/scenario.md "Limits"). Each bounds the
/// memory or work a single key can demand, so that no scenario file reaches
/// an out-of-memory end or an unbounded run: a file beyond one is refused
/// with the key and the limit named.
struct ScenarioLimits {
  static constexpr std::uintmax_t file_bytes = 1 << 20;  ///< a scenario file, 1 MiB
  static constexpr std::size_t name_length = 200;
  static constexpr int dimension = 64;  ///< the Monte Carlo engine's
  static constexpr std::size_t classes = 64;
  static constexpr std::size_t components = 256;  ///< over all classes
  static constexpr std::size_t scales = 64;
  static constexpr std::size_t step_counts = 32;
  static constexpr long steps = 100000;  ///< per step count
  static constexpr long paths = 1L << 30;
  static constexpr double ou_horizon = 50;        ///< alpha_T = e^-50 is already 2e-22
  static constexpr double beta_max = 1000;        ///< vp-linear's beta (20 is the usual)
  static constexpr double guidance_scale = 1000;  ///< w
  static constexpr double early_stop_min = 1e-6;  ///< the score grows like 1/(2 delta)
  static constexpr double mean_abs = 1e4;         ///< every entry of a mean or reward centre
  static constexpr double variance_min = 1e-8;    ///< covariance eigenvalues
  static constexpr double variance_max = 1e8;
  static constexpr double variance_ratio = 1e4;  ///< widest / narrowest over all components
};

/// The largest path count any command accepts (ScenarioLimits::paths).
inline constexpr long kMaxPaths = ScenarioLimits::paths;

struct ComponentSpec {
  double weight = 1.0;
  std::vector<double> mean;        ///< d entries
  std::vector<double> covariance;  ///< d*d entries, row-major
  bool operator==(const ComponentSpec&) const = default;
};

struct ClassSpecD {
  double prior = 1.0;
  std::vector<ComponentSpec> components;
  bool operator==(const ClassSpecD&) const = default;
};

struct RewardSpec {
  std::vector<double> center;     ///< a
  std::vector<double> precision;  ///< P, d*d row-major, positive semi-definite
  std::vector<double> linear;     ///< b
  bool operator==(const RewardSpec&) const = default;
};

struct Scenario {
  std::string name = "default";
  int dimension = 1;
  std::vector<ClassSpecD> classes;
  int guided_class = 0;
  RewardSpec reward;
  double ou_horizon = 2.0;
  double beta_min = 0.1;
  double beta_max = 20.0;
  double early_stop = 1e-3;  ///< delta: vp-linear and linear are used on [delta, 1 - delta]
  std::vector<ScheduleKind> schedules = all_schedules();
  std::vector<double> guidance_scales = {0.01, 0.1, 0.5, 1.0, 2.0, 5.0, 10.0};
  GuidanceChoice guidance_kind = GuidanceChoice::both;
  std::string data_set;  ///< a named real data set ("digits", "iris", "wine") instead of classes
  std::vector<SamplerKind> samplers = all_samplers();
  std::vector<int> steps = {8, 16, 32, 64, 128};
  long paths = 100000;
  StartLaw start = StartLaw::exact;  ///< Monte Carlo start law: q_T or N(0, I)
  int precision_digits = 50;
  std::uint64_t seed = 20261123;

  template <class Real>
  [[nodiscard]] MixtureModel<Real> mixture() const;
  template <class Real>
  [[nodiscard]] GaussianReward<Real> gaussian_reward() const;
  template <class Real>
  [[nodiscard]] ForwardProcess<Real> process(ScheduleKind schedule) const;
  /// The same, by name (the check families compose names); throws for an unknown one.
  template <class Real>
  [[nodiscard]] ForwardProcess<Real> process(const std::string& schedule) const {
    return process<Real>(parse_schedule(schedule, "schedule.names"));
  }
  /// The latest time used with the schedule: T for ou, 1 - delta otherwise.
  [[nodiscard]] double t_max(ScheduleKind schedule) const;
  [[nodiscard]] double t_max(const std::string& schedule) const {
    return t_max(parse_schedule(schedule, "schedule.names"));
  }
  [[nodiscard]] bool lists(ScheduleKind k) const;
  [[nodiscard]] bool lists(SamplerKind k) const;
  /// The earliest time used: delta (the data end t = 0 itself is excluded for
  /// quadrature of metric ratios only when the data are degenerate).
  [[nodiscard]] double t_min() const { return early_stop; }
  bool operator==(const Scenario&) const = default;
};

/// One immutable copy of `sc` shared by every check built from it: the check
/// families call this with the scenario they are given, and equal scenarios
/// (the same file, passed to each family in turn) get the same copy while
/// any check still holds it (a weak cache of the last one).
std::shared_ptr<const Scenario> share_scenario(const Scenario& sc);

/// The built-in scenario: a 1-D two-class mixture (class 0: 0.5 N(-2, 0.3^2)
/// + 0.5 N(1, 0.5^2), prior 0.4; class 1: N(0.5, 1), prior 0.6), guidance
/// towards class 0, and the reward r(x) = exp(-(x - 2)^2 / 2) of THEORY.md T1's example.
Scenario default_scenario();

/// A seeded random d-dimensional scenario of the same shape (two classes of
/// two components, SPD covariances A A^T + 0.1 I), used by the d-D checks.
Scenario random_scenario(int dimension, std::uint64_t seed);

/// A seeded d-dimensional two-class scenario whose guided class 0 has the
/// heaviest tails (two N(m, I) components; class 1: two components with
/// covariance eigenvalues in [0.2, 1.3], randomly rotated), so that
/// 4 C_j^{-1} - 3 D_m^{-1} > 0 holds for every pair at every t: E[phi^4] is
/// finite under the exact unguided law, so Var phi is finite and its sample
/// estimate converges (THEORY.md section 5): the scenario of the Monte Carlo
/// T1 checks in d = 2 and 8.
Scenario broad_target_scenario(int dimension, std::uint64_t seed);

/// A 1-D scenario embedded in d dimensions and rotated by a seeded random
/// orthogonal Q: component k becomes N(Q (mu_k, 0, ..., 0), Q diag(s_k^2, 1, ..., 1) Q^T).
/// The extra coordinates have the same N(0, 1) law in every component, so the
/// classifier, the guided scores' component along Q e_1 and every coupled
/// comparison reduce exactly to the 1-D problem: the d-dimensional engine
/// (full covariances) must reproduce the 1-D deterministic results.
Scenario rotated_embedding(const Scenario& one_d, int dimension, std::uint64_t seed);

// ---- inline definitions of the conversions ----

template <class Real>
MixtureModel<Real> Scenario::mixture() const {
  if (!data_set.empty()) return empirical_mixture<Real>(load_data_set(data_set));
  std::vector<ClassSpec<Real>> out;
  const auto d = static_cast<Eigen::Index>(dimension);
  for (const auto& c : classes) {
    ClassSpec<Real> cs;
    cs.prior = Real(c.prior);
    for (const auto& k : c.components) {
      cs.weights.push_back(Real(k.weight));
      Vector<Real> m(static_cast<Eigen::Index>(k.mean.size()));
      for (std::size_t i = 0; i < k.mean.size(); ++i) m(static_cast<Eigen::Index>(i)) = Real(k.mean[i]);
      Matrix<Real> s(d, d);
      if (k.covariance.size() != static_cast<std::size_t>(d * d))
        s = Matrix<Real>::Zero(0, 0);
      else
        for (Eigen::Index i = 0; i < d; ++i)
          for (Eigen::Index j = 0; j < d; ++j)
            s(i, j) = Real(k.covariance[static_cast<std::size_t>(i * d + j)]);
      cs.means.push_back(m);
      cs.covariances.push_back(s);
    }
    out.push_back(cs);
  }
  return MixtureModel<Real>::from_classes(out);
}

template <class Real>
GaussianReward<Real> Scenario::gaussian_reward() const {
  const auto d = static_cast<Eigen::Index>(dimension);
  auto vec = [](const std::vector<double>& v) {
    Vector<Real> x(static_cast<Eigen::Index>(v.size()));
    for (std::size_t i = 0; i < v.size(); ++i) x(static_cast<Eigen::Index>(i)) = Real(v[i]);
    return x;
  };
  Matrix<Real> p(0, 0);
  if (reward.precision.size() == static_cast<std::size_t>(d * d)) {
    p.resize(d, d);
    for (Eigen::Index i = 0; i < d; ++i)
      for (Eigen::Index j = 0; j < d; ++j)
        p(i, j) = Real(reward.precision[static_cast<std::size_t>(i * d + j)]);
  }
  return GaussianReward<Real>(vec(reward.center), p, vec(reward.linear));
}

template <class Real>
ForwardProcess<Real> Scenario::process(ScheduleKind schedule) const {
  switch (schedule) {
    case ScheduleKind::ou: return ForwardProcess<Real>::ou(Real(ou_horizon));
    case ScheduleKind::vp_linear: return ForwardProcess<Real>::vp_linear(Real(beta_min), Real(beta_max));
    case ScheduleKind::linear: return ForwardProcess<Real>::linear();
  }
  return ForwardProcess<Real>::linear();
}

}  // namespace gdverify::numerics
