#include "gdverify/numerics/scenario.hpp"

#include <random>

namespace gdverify::numerics {

double Scenario::t_max(const std::string& schedule) const {
  return parse_schedule(schedule, "schedules") == ScheduleKind::ou ? ou_horizon : 1.0 - early_stop;
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

}  // namespace gdverify::numerics
