#include "gdverify/numerics/scenario.hpp"

#include <algorithm>
#include <mutex>

#include <Eigen/QR>
#include <random>

namespace gdverify::numerics {

double Scenario::t_max(ScheduleKind schedule) const {
  return schedule == ScheduleKind::ou ? ou_horizon : 1.0 - early_stop;
}

bool Scenario::lists(ScheduleKind k) const {
  return std::find(schedules.begin(), schedules.end(), k) != schedules.end();
}

bool Scenario::lists(SamplerKind k) const {
  return std::find(samplers.begin(), samplers.end(), k) != samplers.end();
}

Scenario default_scenario() {
  Scenario s;
  s.name = "default";
  s.dimension = 1;
  s.classes = {ClassSpecD{0.4, {ComponentSpec{0.5, {-2.0}, {0.09}}, ComponentSpec{0.5, {1.0}, {0.25}}}},
               ClassSpecD{0.6, {ComponentSpec{1.0, {0.5}, {1.0}}}}};
  s.guided_class = 0;
  s.reward = RewardSpec{{2.0}, {1.0}, {0.0}};
  return s;
}

Scenario random_scenario(int dimension, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  Scenario s;
  s.name = "random-d" + std::to_string(dimension);
  s.dimension = dimension;
  const auto d = static_cast<std::size_t>(dimension);
  for (int c = 0; c < 2; ++c) {
    ClassSpecD cls;
    cls.prior = 0.5;
    for (int k = 0; k < 2; ++k) {
      ComponentSpec comp;
      comp.weight = 0.5;
      for (std::size_t i = 0; i < d; ++i) comp.mean.push_back(2.0 * u(rng));
      std::vector<double> a(d * d);
      for (auto& v : a) v = u(rng);
      comp.covariance.assign(d * d, 0.0);
      for (std::size_t i = 0; i < d; ++i)
        for (std::size_t j = 0; j <= i; ++j) {
          double acc = i == j ? 0.1 : 0.0;
          for (std::size_t l = 0; l < d; ++l) acc += a[i * d + l] * a[j * d + l];
          comp.covariance[i * d + j] = comp.covariance[j * d + i] = acc;
        }
      cls.components.push_back(comp);
    }
    s.classes.push_back(cls);
  }
  s.reward.center.assign(d, 1.0);
  s.reward.precision.assign(d * d, 0.0);
  for (std::size_t i = 0; i < d; ++i) s.reward.precision[i * d + i] = 1.0;
  s.reward.linear.assign(d, 0.0);
  s.reward.linear[0] = 0.25;
  return s;
}

Scenario broad_target_scenario(int dimension, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  Scenario s = random_scenario(dimension, seed);
  s.name = "broad-target-d" + std::to_string(dimension);
  const auto d = static_cast<Eigen::Index>(dimension);
  const auto du = static_cast<std::size_t>(dimension);
  for (int c = 0; c < 2; ++c)
    for (auto& comp : s.classes[static_cast<std::size_t>(c)].components) {
      for (auto& m : comp.mean) m = 1.5 * u(rng);
      comp.covariance.assign(du * du, 0.0);
      if (c == 0) {
        for (std::size_t i = 0; i < du; ++i) comp.covariance[i * du + i] = 1.0;
        continue;
      }
      Eigen::MatrixXd a(d, d);
      for (Eigen::Index i = 0; i < d; ++i)
        for (Eigen::Index j = 0; j < d; ++j) a(i, j) = u(rng);
      const Eigen::MatrixXd q = Eigen::HouseholderQR<Eigen::MatrixXd>(a).householderQ();
      Eigen::VectorXd lambda(d);
      for (Eigen::Index i = 0; i < d; ++i) lambda(i) = 0.75 + 0.55 * u(rng);  // in [0.2, 1.3]
      const Eigen::MatrixXd cov = q * lambda.asDiagonal() * q.transpose();
      for (Eigen::Index i = 0; i < d; ++i)
        for (Eigen::Index j = 0; j < d; ++j)
          comp.covariance[static_cast<std::size_t>(i * d + j)] = 0.5 * (cov(i, j) + cov(j, i));
    }
  return s;
}

Scenario rotated_embedding(const Scenario& one_d, int dimension, std::uint64_t seed) {
  if (one_d.dimension != 1 || !one_d.data_set.empty())
    throw InvalidParameter("dimension", "rotated_embedding needs a 1-D scenario given by its classes");
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  const auto d = static_cast<Eigen::Index>(dimension);
  Eigen::MatrixXd a(d, d);
  for (Eigen::Index i = 0; i < d; ++i)
    for (Eigen::Index j = 0; j < d; ++j) a(i, j) = u(rng);
  const Eigen::MatrixXd q = Eigen::HouseholderQR<Eigen::MatrixXd>(a).householderQ();
  auto vec = [&](double first) {
    Eigen::VectorXd v = Eigen::VectorXd::Zero(d);
    v(0) = first;
    const Eigen::VectorXd r = q * v;
    return std::vector<double>(r.data(), r.data() + d);
  };
  auto mat = [&](double first, double rest) {
    Eigen::VectorXd diag = Eigen::VectorXd::Constant(d, rest);
    diag(0) = first;
    const Eigen::MatrixXd m = q * diag.asDiagonal() * q.transpose();
    std::vector<double> out(static_cast<std::size_t>(d * d));
    for (Eigen::Index i = 0; i < d; ++i)
      for (Eigen::Index j = 0; j < d; ++j)
        out[static_cast<std::size_t>(i * d + j)] = 0.5 * (m(i, j) + m(j, i));
    return out;
  };
  Scenario s = one_d;
  s.name = one_d.name + "-embedded-d" + std::to_string(dimension);
  s.dimension = dimension;
  for (auto& c : s.classes)
    for (auto& k : c.components) {
      const double m = k.mean[0], v = k.covariance[0];
      k.mean = vec(m);
      k.covariance = mat(v, 1.0);
    }
  s.reward.center = vec(one_d.reward.center[0]);
  s.reward.precision = mat(one_d.reward.precision[0], 0.0);
  s.reward.linear = vec(one_d.reward.linear[0]);
  return s;
}

std::shared_ptr<const Scenario> share_scenario(const Scenario& sc) {
  static std::mutex m;
  static std::weak_ptr<const Scenario> last;
  const std::lock_guard lock(m);
  if (auto held = last.lock(); held && *held == sc) return held;
  auto fresh = std::make_shared<const Scenario>(sc);
  last = fresh;
  return fresh;
}

}  // namespace gdverify::numerics
