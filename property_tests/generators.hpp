// RapidCheck generators for the property tests: scenarios (classes,
// components, means, SPD covariances, priors, a Gaussian-shaped reward),
// schedules, times, points and guidance scales. Every number is drawn as a
// small integer scaled to a decimal, so shrinking moves toward few classes,
// few components, low dimension and round values.
#pragma once

#include <rapidcheck.h>

#include <ostream>
#include <string>
#include <vector>

#include "gdverify/numerics/scenario.hpp"

namespace gdverify::numerics {

/// How RapidCheck prints a scenario (found by argument-dependent lookup).
inline void showValue(const Scenario& s, std::ostream& os) {
  auto list = [&os](const std::vector<double>& v) {
    os << "{";
    for (std::size_t i = 0; i < v.size(); ++i) os << (i ? ", " : "") << v[i];
    os << "}";
  };
  os << "Scenario{dimension " << s.dimension << ", guided_class " << s.guided_class << ", classes:";
  for (const auto& c : s.classes) {
    os << "\n  prior " << c.prior << ":";
    for (const auto& k : c.components) {
      os << " [weight " << k.weight << " mean ";
      list(k.mean);
      os << " cov ";
      list(k.covariance);
      os << "]";
    }
  }
  os << "\n  reward center ";
  list(s.reward.center);
  os << " precision ";
  list(s.reward.precision);
  os << " linear ";
  list(s.reward.linear);
  os << "}";
}

}  // namespace gdverify::numerics

namespace gdverify::properties {

/// A decimal in [lo/100, hi/100] that shrinks toward 0 (or the bound nearest it).
inline rc::Gen<double> decimal(int lo, int hi) {
  return rc::gen::map(rc::gen::inRange(lo, hi + 1), [](int v) { return v / 100.0; });
}

inline rc::Gen<numerics::ComponentSpec> component(int d) {
  return rc::gen::exec([d] {
    numerics::ComponentSpec c;
    c.weight = *rc::gen::inRange(1, 10);
    for (int i = 0; i < d; ++i) c.mean.push_back(*decimal(-300, 300));
    // Sigma = A A^T + 0.1 I, A entries in [-1, 1] (SPD by construction)
    std::vector<double> a;
    for (int i = 0; i < d * d; ++i) a.push_back(*decimal(-100, 100));
    c.covariance.assign(static_cast<std::size_t>(d * d), 0.0);
    for (int i = 0; i < d; ++i)
      for (int j = 0; j <= i; ++j) {
        double acc = i == j ? 0.1 : 0.0;
        for (int l = 0; l < d; ++l)
          acc += a[static_cast<std::size_t>(i * d + l)] * a[static_cast<std::size_t>(j * d + l)];
        c.covariance[static_cast<std::size_t>(i * d + j)] =
            c.covariance[static_cast<std::size_t>(j * d + i)] = acc;
      }
    return c;
  });
}

/// A scenario of dimension in [1, max_dim], 2-3 classes of 1-3 components.
inline rc::Gen<numerics::Scenario> scenario(int max_dim) {
  return rc::gen::exec([max_dim] {
    numerics::Scenario s;
    s.name = "generated";
    s.dimension = *rc::gen::inRange(1, max_dim + 1);
    const int classes = *rc::gen::inRange(2, 4);
    double psum = 0;
    for (int c = 0; c < classes; ++c) {
      numerics::ClassSpecD cls;
      cls.prior = *rc::gen::inRange(1, 10);
      psum += cls.prior;
      const int comps = *rc::gen::inRange(1, 4);
      double wsum = 0;
      for (int k = 0; k < comps; ++k) {
        cls.components.push_back(*component(s.dimension));
        wsum += cls.components.back().weight;
      }
      for (auto& k : cls.components) k.weight /= wsum;
      s.classes.push_back(cls);
    }
    for (auto& c : s.classes) c.prior /= psum;
    s.guided_class = *rc::gen::inRange(0, classes);
    const auto d = static_cast<std::size_t>(s.dimension);
    for (std::size_t i = 0; i < d; ++i) {
      s.reward.center.push_back(*decimal(-200, 200));
      s.reward.linear.push_back(*decimal(-50, 50));
    }
    s.reward.precision.assign(d * d, 0.0);
    for (std::size_t i = 0; i < d; ++i) s.reward.precision[i * d + i] = *decimal(10, 200);
    return s;
  });
}

inline rc::Gen<std::string> schedule() { return rc::gen::element<std::string>("ou", "vp-linear", "linear"); }

/// A time fraction in [0.01, 0.99] of the schedule's range.
inline rc::Gen<double> time_fraction() { return decimal(1, 99); }

/// A guidance scale in [0, 10].
inline rc::Gen<double> guidance_scale() { return decimal(0, 1000); }

inline rc::Gen<std::vector<double>> point(int d) {
  return rc::gen::container<std::vector<double>>(d, decimal(-400, 400));
}

}  // namespace gdverify::properties
