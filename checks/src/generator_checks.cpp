// L1(c) and T1 (pointwise) of THEORY.md section 3: the generator identities
//   (partial_tau + L^0) phi = 0,    (partial_tau + L^w) phi = -w g^2 phi |s^r - s|^2,
// at random points and times, in d = 1 (the scenario), 2 and 5, at 50 digits.
#include <map>
#include <memory>
#include <random>
#include <stdexcept>

#include "certified_generator.hpp"
#include "check_support.hpp"
#include "gdverify/checks/precision_checks.hpp"
#include "gdverify/checks/registry.hpp"
#include "gdverify/numerics/vocabulary.hpp"

namespace gdverify::checks {

using namespace gdverify::numerics;
namespace {

std::string num(double v) { return format_significant(v, 10); }

using detail::Stopwatch;
using detail::Worst;
using Real = Real50;

/// Rounding bound for one generator evaluation, relative to the sum of the
/// absolute sizes of its terms: every term is a sum over K components of
/// d-term dot products and d x d traces, each rounding at most (d + K)
/// eps relative to its magnitude; exp/log of the responsibilities add a few
/// eps. 64 (d + K) eps covers these with room for the accumulation order.
Real generator_tolerance(int d, int k) { return 64 * Real(d + k) * boost::math::tools::epsilon<Real>(); }

/// The verdict of the interval evaluation, which overrides the 50-digit one
/// where it decides: certified when every enclosure contains 0 within the
/// tolerance, fail (with the enclosure as evidence) when one excludes 0. In
/// d > 1 the mixture's Cholesky factors and pivots compare interval entries,
/// which has no answer for overlapping intervals, so the verdict stays the
/// 50-digit estimate and says why.
void certify(CheckResult& r, const Scenario& sc, const std::string& schedule, GuidanceKind kind,
             const std::vector<double>& ws, const Perturbation& pert) {
  if (sc.dimension != 1) {
    r.details["not certified"] =
        "d = " + std::to_string(sc.dimension) +
        " > 1: interval Cholesky factors need comparisons that overlapping intervals cannot answer";
    return;
  }
  detail::Certificate c;
  try {
    c = detail::certify_generator_identity(sc, schedule, kind, ws, pert, r.tolerance);
  } catch (const std::exception& e) {  // an interval input check refused; the estimate stands
    r.details["not certified"] = std::string("the interval evaluation stopped: ") + e.what();
    return;
  }
  detail::apply_certificate(r, c);
}

/// Evaluates the identity for each guidance form at 4 random (t, y) and each w.
CheckResult generator_identity(const Scenario& sc, const std::string& schedule, GuidanceKind kind,
                               const std::vector<double>& ws, const std::string& name,
                               const std::string& description, const Perturbation& pert) {
  using std::abs;
  Stopwatch clock;
  const auto proc = sc.process<Real>(schedule);
  const auto problem = detail::scenario_problem<Real>(sc, kind);
  const auto ing = detail::generator_ingredients<Real>(pert);
  std::map<double, Worst<Real>> by_w;
  // The dissipation side at a point fixed by the scenario alone (not by its seed):
  // t in the middle of [delta, t_max], y = (1/2, ..., 1/2).
  std::map<double, Real> first_point;
  {
    const GuidedScore<Real> field(problem, proc, (Real(sc.t_min()) + Real(sc.t_max(schedule))) / 2);
    const Vector<Real> y = Vector<Real>::Constant(sc.dimension, Real("0.5"));
    for (double wd : ws) first_point[wd] = detail::dissipation_side(field, y, wd);
  }
  for (const detail::GeneratorPoint& pt : detail::generator_points(sc, schedule)) {
    const GuidedScore<Real> field(problem, proc, Real(pt.t));
    Vector<Real> y(sc.dimension);
    for (int i = 0; i < sc.dimension; ++i) y(i) = Real(pt.y[static_cast<std::size_t>(i)]);
    for (double wd : ws) {
      const auto terms = detail::generator_sides(field, y, wd, pert, ing);
      by_w[wd].update(abs(terms.lhs() - terms.dissipation) / terms.magnitude(), terms.lhs(),
                      terms.dissipation);
    }
  }
  // The residual is the worst over every w; its two sides are shown at the
  // largest w among the worst (w = 0 is L1c's case, so a tie goes to a w > 0).
  Worst<Real> worst;
  double worst_w = 0;
  for (const auto& [w, one] : by_w)
    if (boost::math::isnan(one.residual) || one.residual >= worst.residual) {
      worst = one;
      worst_w = w;
    }
  const int k = static_cast<int>(problem.base().components().size() + problem.target().components().size());
  const Real tolerance = generator_tolerance(sc.dimension, k);
  auto r = detail::finish<Real>(name, description, worst, tolerance, clock);
  certify(r, sc, schedule, kind, ws, pert);
  r.seconds = clock.seconds();  // the interval evaluation included
  if (by_w.size() > 1) {
    r.details["sides shown at"] = "w=" + num(worst_w);
    r.quantities.clear();
    for (const auto& [w, one] : by_w) {
      r.details["w=" + num(w) + " residual | dissipation at the fixed point"] =
          detail::full(one.residual) + " | " + detail::full(first_point.at(w));
      // The residual is rounding-level; the dissipation at a fixed (t, y) is a
      // deterministic value of the scenario at that w (a change of w shows).
      r.quantities.push_back({"w=" + num(w) + " residual", QuantityKind::rounding,
                              static_cast<double>(one.residual), 0, static_cast<double>(tolerance)});
      r.quantities.push_back({"w=" + num(w) + " dissipation at the fixed point", QuantityKind::deterministic,
                              static_cast<double>(first_point.at(w)), 0, 0});
    }
  }
  return r;
}

}  // namespace

std::vector<Check> generator_checks(const Scenario& scenario) {
  std::vector<Check> out;
  // The scenario's own mixture (when its pointwise evaluation at 50 digits is
  // affordable: given by classes, d <= 8) at w = 0 and every w of its scales,
  // and two seeded built-in mixtures in d = 2 and 5 at w = 0.5 and 2.
  struct Problem {
    Scenario sc;
    std::string label, problem;
    std::vector<double> ws;
  };
  std::vector<Problem> problems{{scenario, "scenario", "scenario", scenario_scales(scenario)}};
  for (int d : {2, 5}) {
    Scenario r = random_scenario(d, scenario.seed + static_cast<std::uint64_t>(d));
    r.guided_class = 0;
    const std::string label = "random-d" + std::to_string(d);
    problems.push_back({r, label, built_in(label), {0.5, 2.0}});
  }
  for (const auto& one : problems) {
    // One immutable copy of each problem, shared by its checks.
    const auto held = share_scenario(one.sc);
    Needs needs;
    if (one.problem == "scenario") {
      needs.classes = true;
      needs.max_dimension = 8;
    }
    for (const std::string& s : schedule_names()) {
      needs.schedule = s;
      for (GuidanceKind k : {GuidanceKind::cfg, GuidanceKind::reward}) {
        needs.form = detail::form_name(k);
        const std::string l1c = "L1c.generator." + s + "." + detail::form_name(k) + "." + one.label;
        const std::string l1c_d = "(partial_tau + L^0) phi = 0 pointwise (w = 0)";
        out.push_back({l1c, l1c_d, true,
                       [held, &sc = *held, s, k, l1c, l1c_d](const Perturbation& p) {
                         return generator_identity(sc, s, k, {0.0}, l1c, l1c_d, p);
                       },
                       one.problem, needs});
        const std::string t1 = "T1.dissipation-pointwise." + s + "." + detail::form_name(k) + "." + one.label;
        const std::string t1_d = "(partial_tau + L^w) phi = -w g^2 phi |s^r - s|^2 pointwise";
        out.push_back({t1, t1_d, true,
                       [held, &sc = *held, s, k, ws = one.ws, t1, t1_d](const Perturbation& p) {
                         return generator_identity(sc, s, k, ws, t1, t1_d, p);
                       },
                       one.problem, needs});
      }
    }
  }
  return out;
}

}  // namespace gdverify::checks
