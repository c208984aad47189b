#include "gdverify/convergence/convergence_study.hpp"

#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <stdexcept>

namespace gdverify::convergence {

OrderFit fit_order(const std::vector<double>& axis, const std::vector<double>& errors, double confidence) {
  if (axis.size() != errors.size())
    throw std::invalid_argument("fit_order: axis and errors differ in length");
  std::vector<double> x, y;
  for (std::size_t i = 0; i < axis.size(); ++i) {
    if (!(axis[i] > 0) || !(errors[i] > 0) || !std::isfinite(errors[i]))
      throw std::invalid_argument("fit_order: axis and errors must be positive and finite");
    x.push_back(std::log(axis[i]));
    y.push_back(std::log(errors[i]));
  }
  const std::size_t n = x.size();
  if (n < 3) throw std::invalid_argument("fit_order: at least 3 points are needed for an interval");
  double mx = 0, my = 0;
  for (std::size_t i = 0; i < n; ++i) {
    mx += x[i];
    my += y[i];
  }
  mx /= static_cast<double>(n);
  my /= static_cast<double>(n);
  double sxx = 0, sxy = 0;
  for (std::size_t i = 0; i < n; ++i) {
    sxx += (x[i] - mx) * (x[i] - mx);
    sxy += (x[i] - mx) * (y[i] - my);
  }
  if (!(sxx > 0)) throw std::invalid_argument("fit_order: the axis needs at least two distinct values");
  const double slope = sxy / sxx;
  const double intercept = my - slope * mx;
  double rss = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double r = y[i] - intercept - slope * x[i];
    rss += r * r;
  }
  const double dof = static_cast<double>(n - 2);
  const double se = std::sqrt(rss / dof / sxx);
  const boost::math::students_t dist(dof);
  const double q = boost::math::quantile(boost::math::complement(dist, (1 - confidence) / 2));
  OrderFit f;
  f.order = -slope;
  f.intercept = intercept;
  f.std_error = se;
  f.lower = -slope - q * se;
  f.upper = -slope + q * se;
  f.confidence = confidence;
  f.points = n;
  return f;
}

void ConvergenceStudy::fit(double min_axis, double confidence) {
  fits.clear();
  for (const auto& [norm, errs] : errors) {
    if (values.count(norm)) continue;
    std::vector<double> ax, er;
    for (std::size_t i = 0; i < axis.size() && i < errs.size(); ++i)
      if (axis[i] >= min_axis) {
        ax.push_back(axis[i]);
        er.push_back(errs[i]);
      }
    fits[norm] = fit_order(ax, er, confidence);
  }
}

}  // namespace gdverify::convergence
