#include "gdverify/checks/mixture_weak_order_checks.hpp"

#include <chrono>
#include <cmath>
#include <limits>
#include <memory>

#include "gdverify/checks/order_verdict.hpp"
#include "gdverify/convergence/mixture_weak_order.hpp"
#include "gdverify/numerics/discrete_law.hpp"

namespace gdverify::checks {

using namespace gdverify::convergence;

namespace {

std::string fmt(double v) { return numerics::format_significant(v, 10); }

}  // namespace

namespace {

CheckResult weak_order(const numerics::Scenario& sc, const std::string& form, numerics::SamplerKind sampler,
                       const Perturbation& pert) {
  const auto t0 = std::chrono::steady_clock::now();
  // Sensitivity: the sign of w flipped in the discrete sampler only.
  const double w = 1.0;
  auto study = mixture_weak_error_study(sc, form, sampler, w);
  if (pert.flip_guidance_sign) {
    const numerics::DiscreteLaw1D law(mixture_problem(sc, form), sc.process<double>("ou"), sc.ou_horizon,
                                      sc.early_stop);
    const double ref = study.errors.at("E phi (continuous)").front();
    auto& err = study.errors.at("weak |E phi_N - E phi|");
    for (std::size_t i = 0; i < err.size(); ++i)
      err[i] = std::abs(law.expected_metric(sampler, 0.0, static_cast<int>(study.axis[i])) - ref);
    study.fit(mixture_max_steps(sampler) / 4);
  }
  // The weak errors must stand above what the reference itself is known to: its
  // error estimate plus rounding (64 eps kappa for the double-precision laws).
  // Where they do not (a flat reward r = 1 makes phi constant, so every law has
  // E[phi] = kappa and the "errors" are rounding), there is no order to fit.
  {
    const double kappa_ref = std::exp(mixture_problem(sc, form).log_metric_scale());
    double ref_err = 0;
    for (const auto& [name, col] : study.errors)
      if (name.rfind("reference error estimate", 0) == 0 && !col.empty()) ref_err = col.front();
    const double floor = 2 * (ref_err + 64 * std::numeric_limits<double>::epsilon() * kappa_ref);
    const auto& e = study.errors.at("weak |E phi_N - E phi|");
    bool resolved = false;
    for (double v : e) resolved = resolved || v > floor;
    if (!resolved)
      return inconclusive_result(
          study.name, "weak error of the discrete sampler on the 1-D mixture is O(1/N)",
          "every weak error is at most " + fmt(floor) +
              " (twice the reference's error estimate plus rounding): the sampler's E[phi] equals the "
              "continuous one to what is computed (phi constant, e.g. a flat reward), so there is no order "
              "to fit",
          "double", 15, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  const auto& fit = study.fits.at("weak |E phi_N - E phi|");
  auto r =
      order_verdict(study.name,
                    "weak error of the discrete sampler on the 1-D mixture is O(1/N) (exact discrete law "
                    "against the continuous law: Fokker-Planck for EM and DDPM, characteristics for DDIM)",
                    fit, "the three finest N", "double", 15);
  const auto& err = study.errors.at("weak |E phi_N - E phi|");
  const auto& val = study.errors.at("E phi_N");
  std::string errs;
  int below_from = -1;
  const double kappa = std::exp(mixture_problem(sc, form).log_metric_scale());
  for (std::size_t i = 0; i < err.size(); ++i) {
    errs += (i ? ", " : "") + std::to_string(static_cast<int>(study.axis[i])) + ": " + fmt(err[i]);
    if (!(val[i] == val[i])) continue;  // NaN: DDIM map not monotone at this N
    if (val[i] < kappa && below_from < 0) below_from = static_cast<int>(study.axis[i]);
    if (val[i] >= kappa) below_from = -1;
  }
  r.details["weak_errors"] = errs;
  r.details["continuous_E_phi"] = fmt(study.errors.at("E phi (continuous)").front());
  if (sampler == numerics::SamplerKind::ddim)
    r.details["ode_E_phi_below_kappa (observation)"] =
        study.errors.at("E phi (continuous)").front() < kappa ? "yes" : "no";
  r.details["decrease_below_unguided_from_N"] =
      below_from < 0 ? "not in the range run" : std::to_string(below_from);
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

}  // namespace

std::vector<Check> mixture_discretisation_checks(const numerics::Scenario& sc) {
  // The one immutable copy of the scenario that every check shares.
  const auto held = numerics::share_scenario(sc);
  std::vector<Check> out;
  for (const char* form : {"cfg", "reward"})
    for (auto k :
         {numerics::SamplerKind::euler_maruyama, numerics::SamplerKind::ddpm, numerics::SamplerKind::ddim}) {
      const std::string name = "T2.weak-order." + numerics::sampler_name(k) + ".ou." + form + ".mixture";
      out.push_back({name, "weak order 1 of the discrete sampler on the scenario's 1-D mixture (full set)",
                     false,
                     [held, &sc = *held, form = std::string(form), k](const Perturbation& p) {
                       return weak_order(sc, form, k, p);
                     },
                     "scenario", Needs{}});
      out.back().needs.one_dimensional = true;
      out.back().needs.form = form;
      out.back().needs.sampler = numerics::sampler_name(k);
      out.back().needs.schedule = "ou";
    }
  return out;
}

}  // namespace gdverify::checks
