// Interval evaluation of the generator identities (certified_generator.hpp).
// The theory templates are instantiated here, once, for the MPFI type.
#include "certified_generator.hpp"

#include <mpfr.h>

#include <boost/multiprecision/mpfi.hpp>
#include <random>

#include "gdverify/numerics/format_significant.hpp"
#include "gdverify/numerics/quadrature_support.hpp"
#include "gdverify/theory.hpp"

namespace gdverify::checks::detail {

using namespace gdverify::numerics;
using Interval = boost::multiprecision::number<boost::multiprecision::mpfi_float_backend<kCertifiedDigits>,
                                               boost::multiprecision::et_off>;

std::vector<GeneratorPoint> generator_points(const Scenario& sc, const std::string& schedule) {
  std::mt19937_64 rng(sc.seed + 101 * static_cast<std::uint64_t>(sc.dimension));
  std::uniform_real_distribution<double> ut(sc.t_min(), sc.t_max(schedule));
  std::uniform_real_distribution<double> uy(-3.0, 3.0);
  std::vector<GeneratorPoint> out(4);
  for (auto& p : out) {
    p.t = ut(rng);
    p.y.resize(static_cast<std::size_t>(sc.dimension));
    for (double& v : p.y) v = uy(rng);
  }
  return out;
}

namespace {

/// "w = ..., t = ..., y = (...)": the point an enclosure belongs to.
std::string where(const GeneratorPoint& pt, double w) {
  std::string out = "w = " + format_significant(w, 6) + ", t = " + format_significant(pt.t, 17) + ", y = (";
  for (std::size_t i = 0; i < pt.y.size(); ++i) out += (i ? ", " : "") + format_significant(pt.y[i], 17);
  return out + ")";
}

/// An end of an interval printed to 20 significant digits, rounded outwards
/// (down for the lower end, up for the upper), so the printed interval still
/// encloses the value.
std::string printed_end(const Interval& x, bool upper_end) {
  const auto end = upper_end ? upper(x) : lower(x);
  char buf[64];
  mpfr_snprintf(buf, sizeof buf, upper_end ? "%.19RUe" : "%.19RDe", end.backend().data());
  return buf;
}

Enclosure enclosure_of(const Interval& x) {
  Enclosure e;
  e.quantity = "(lhs - rhs) / magnitude";
  e.lower = printed_end(x, false);
  e.upper = printed_end(x, true);
  e.midpoint = static_cast<double>(median(x));
  e.radius = mpfr_get_d(width(x).backend().data(), MPFR_RNDU) / 2;
  e.method = "MPFI interval arithmetic at " + std::to_string(kCertifiedDigits) +
             " digits through the theory templates, every point and w";
  return e;
}

/// The largest |value| the interval admits, as a double rounded up.
double magnitude_bound(const Interval& x) { return mpfr_get_d(upper(abs(x)).backend().data(), MPFR_RNDU); }

}  // namespace

Certificate certify_generator_identity(const Scenario& sc, const std::string& schedule, GuidanceKind kind,
                                       const std::vector<double>& ws, const Perturbation& pert,
                                       double tolerance) {
  const auto proc = sc.process<Interval>(schedule);
  const auto problem = numerics::detail::scenario_problem<Interval>(sc, kind);
  const auto ing = generator_ingredients<Interval>(pert);
  Certificate out;
  double widest = -1;
  for (const GeneratorPoint& pt : generator_points(sc, schedule)) {
    const GuidedScore<Interval> field(problem, proc, Interval(pt.t));
    Vector<Interval> y(sc.dimension);
    for (int i = 0; i < sc.dimension; ++i) y(i) = Interval(pt.y[static_cast<std::size_t>(i)]);
    for (double wd : ws) {
      const auto terms = generator_sides(field, y, wd, pert, ing);
      const Interval residual = (terms.lhs() - terms.dissipation) / terms.magnitude();
      if (mpfi_nan_p(residual.backend().data())) {  // no enclosure at all: decides nothing
        out.outcome = Certification::too_wide;
        out.enclosure = enclosure_of(residual);
        out.where = where(pt, wd);
        return out;
      }
      if (!zero_in(residual)) {  // the first point whose enclosure excludes 0 decides
        out.outcome = Certification::excludes;
        out.enclosure = enclosure_of(residual);
        out.where = where(pt, wd);
        return out;
      }
      const double bound = magnitude_bound(residual);
      if (bound > widest) {
        widest = bound;
        out.enclosure = enclosure_of(residual);
        out.where = where(pt, wd);
      }
    }
  }
  out.outcome = widest <= tolerance ? Certification::certified : Certification::too_wide;
  return out;
}

}  // namespace gdverify::checks::detail
