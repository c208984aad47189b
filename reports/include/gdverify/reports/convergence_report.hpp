// gdverify converge: the convergence studies of a scenario's own problem
// where one exists, and of the built-in benchmark problems, each labelled
// with its problem ("scenario" or "built-in:<name>"), as in the check results.
#pragma once

#include <string>
#include <vector>

#include "gdverify/checks/registry.hpp"
#include "gdverify/convergence/convergence_study.hpp"
#include "gdverify/numerics/scenario.hpp"

namespace gdverify::reports {

struct ProblemStudy {
  std::string problem;
  convergence::ConvergenceStudy study;
};

/// The scenario's own studies: T2 on its exact Gaussian law (one Gaussian
/// class, reward guidance) for every listed schedule and sampler at its
/// largest w; T2 on its exact discrete laws (a 1-D mixture, ou, listed forms
/// and samplers other than Heun, w = 1) and L1a's quadrature error against
/// precision (a 1-D mixture with two classes). The built-in ones: T2 on the
/// Gaussian problem `form` ("reward" or "cfg-pair") for every listed schedule
/// and sampler, and the Monte Carlo error against paths. `skipped` gets one
/// line per study family that does not apply, with the reason.
std::vector<ProblemStudy> convergence_studies(const numerics::Scenario& scenario, checks::Suite suite,
                                              const std::string& form, std::vector<std::string>& skipped);

}  // namespace gdverify::reports
