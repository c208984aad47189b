// The report's figures, computed deterministically (no sampling noise) and
// drawn as SVG by gnuplot (Debian's gnuplot-nox):
//   dissipation.svg  both sides of T1's identity along tau on the exact
//                    Gaussian law (ou, reward, w = 1): E[phi_tau] and
//                    1 - w int_0^tau g^2 E[phi |s^r - s|^2]
//   metric_vs_w.svg  E[1/p(c|Y^w)] against w (1-D scenario, ODE coupling)
//   degraded_vs_w.svg the degraded fraction P(p(c|Y^w) < p(c|Y^0)) against w
//   weak_error.svg   weak error against N on log-log axes with the fitted slopes
//   classifier_distribution.svg  the law of p(c|Y) for w = 0 and w = 1 (ODE map)
// Every plotted number is also written to figures.json.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "gdverify/numerics/scenario.hpp"

namespace gdverify::reports {

struct Figure {
  std::string file;     ///< e.g. "weak_error.svg"
  std::string caption;  ///< one sentence
};

/// Computes and draws the figures into `dir`; returns what was drawn (the
/// 1-D figures only for a 1-D Gaussian-mixture scenario). Throws
/// std::runtime_error if gnuplot fails.
std::vector<Figure> write_figures(const std::filesystem::path& dir, const numerics::Scenario& scenario,
                                  nlohmann::json& data);

}  // namespace gdverify::reports
