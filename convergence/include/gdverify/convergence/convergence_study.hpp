// A convergence study as a plain data object (STYLE.md, after DiffEqDevTools
// and SpECTRE): the axis actually used (steps, paths, digits), the error at
// each point per norm, wall time per point, and the order fitted by least
// squares of log(error) on log(axis) over the points used, with a confidence
// interval from Student's t. Plots and tables are made from this object.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

namespace gdverify::convergence {

struct OrderFit {
  double order = 0;      ///< -slope of log(error) against log(axis)
  double intercept = 0;  ///< log(error) at axis = 1
  double std_error = 0;  ///< standard error of the slope
  double lower = 0;      ///< confidence interval for the order
  double upper = 0;
  double confidence = 0.95;
  std::size_t points = 0;
};

/// Least-squares fit of log(error) = intercept - order log(axis). Needs at
/// least 3 points with positive errors (2 leave no degree of freedom for an
/// interval); throws std::invalid_argument otherwise.
OrderFit fit_order(const std::vector<double>& axis, const std::vector<double>& errors,
                   double confidence = 0.95);

struct ConvergenceStudy {
  std::string name;
  std::string axis_name;  ///< e.g. "steps N"
  std::vector<double> axis;
  std::map<std::string, std::vector<double>> errors;  ///< per norm, aligned with axis
  std::vector<double> seconds;                        ///< wall time per point
  std::map<std::string, OrderFit> fits;               ///< per norm
  /// Columns of `errors` that are values (E phi_N, the continuous E phi), not
  /// errors: shown, never fitted.
  std::set<std::string> values;
  /// What the study was run at, e.g. {"w", "3"}, {"problem", ...}: printed
  /// with the table and kept in the JSON.
  std::map<std::string, std::string> parameters;

  /// Fits every norm over the points whose axis value is >= min_axis.
  void fit(double min_axis = 0, double confidence = 0.95);
};

}  // namespace gdverify::convergence
