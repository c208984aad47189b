// The gdverify Python module (python/CMakeLists.txt; docs/models.md):
//   load_scenario(path) / parse_scenario(text) / default_scenario() -> Scenario
//   exact_score(scenario, form, schedule=None) -> callable(x, t, query, label=-1)
//   assess(score_fn, scenario, form, ...) -> list of result dicts
//   assess_samples(scenario, directory, form, ...) -> list of result dicts
// score_fn(x, t, query, label) takes an (n, d) float64 array, the time t, the
// query ("unconditional", "conditional" or "reward-tilted") and the class of a
// conditional query, and returns an (n, d) array: the score, or the noise
// prediction eps with parameterisation="epsilon" (s = -eps / sigma_t).
// Results are the dicts of `gdverify check --json` ("checks" entries).
#include <pybind11/functional.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>

#include "gdverify/checks/model_assessment.hpp"
#include "gdverify/checks/registry.hpp"
#include "gdverify/checks/samples_assessment.hpp"
#include "gdverify/numerics/mixture_sampling.hpp"
#include "gdverify/numerics/samples_file.hpp"
#include "gdverify/numerics/scenario_file.hpp"
#include "gdverify/numerics/scenario_monte_carlo.hpp"
#include "gdverify/numerics/vocabulary.hpp"
#include "gdverify/reports/check_report.hpp"

namespace py = pybind11;
namespace gn = gdverify::numerics;
namespace gc = gdverify::checks;

namespace {

gn::ScoreQuery parse_query(const std::string& q) {
  if (q == "unconditional") return gn::ScoreQuery::unconditional;
  if (q == "conditional") return gn::ScoreQuery::conditional;
  if (q == "reward-tilted") return gn::ScoreQuery::reward_tilted;
  throw gdverify::InvalidParameter("query",
                                   "'" + q + "' (expected unconditional, conditional or reward-tilted)");
}

/// A Python callable as a score model. Every call holds the GIL; the batch is
/// copied into a fresh (n, d) array so that the callable may keep it.
class PythonScoreModel final : public gn::ScoreModel {
 public:
  PythonScoreModel(py::function fn, int d, std::string name)
      : fn_(std::move(fn)), d_(d), name_(std::move(name)) {}
  int dimension() const override { return d_; }
  std::string name() const override { return name_; }
  void score(std::span<const double> x, double t, const gn::ScoreRequest& which,
             std::span<double> out) const override {
    py::gil_scoped_acquire gil;
    const auto n = static_cast<py::ssize_t>(x.size() / static_cast<std::size_t>(d_));
    py::array_t<double> arr({n, static_cast<py::ssize_t>(d_)});
    std::copy(x.begin(), x.end(), arr.mutable_data());
    py::object r = fn_(arr, t, gn::score_query_name(which.query), which.label);
    auto res = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(r);
    if (!res) throw gdverify::InvalidParameter("score_fn", "did not return an array of numbers");
    if (static_cast<std::size_t>(res.size()) != out.size())
      throw gdverify::InvalidParameter("score_fn", "returned " + std::to_string(res.size()) +
                                                       " values for a batch of " + std::to_string(n) + " x " +
                                                       std::to_string(d_));
    std::copy(res.data(), res.data() + res.size(), out.begin());
  }

 private:
  py::function fn_;
  int d_;
  std::string name_;
};

py::object results_to_python(const std::vector<gc::CheckResult>& results) {
  const std::string text = gdverify::reports::checks_json(results, {}).dump();
  return py::module_::import("json").attr("loads")(text)["checks"];
}

std::vector<gc::CheckResult> run_all(const std::vector<gc::Check>& checks) {
  std::vector<gc::CheckResult> out;
  for (const auto& c : checks) out.push_back(gc::run_check(c));
  return out;
}

}  // namespace

PYBIND11_MODULE(gdverify, m) {
  m.doc() = "gdverify: verification of guided-diffusion theorems (docs/models.md)";
  py::register_exception<gdverify::InvalidParameter>(m, "InvalidParameter", PyExc_ValueError);
  py::register_exception<gn::ScenarioError>(m, "ScenarioError", PyExc_ValueError);

  py::class_<gn::Scenario>(m, "Scenario")
      .def_readonly("name", &gn::Scenario::name)
      .def_readonly("dimension", &gn::Scenario::dimension)
      .def_readonly("guided_class", &gn::Scenario::guided_class)
      .def_readonly("early_stop", &gn::Scenario::early_stop)
      .def_readwrite("guidance_scales", &gn::Scenario::guidance_scales)
      .def_readwrite("steps", &gn::Scenario::steps)
      .def_readwrite("paths", &gn::Scenario::paths)
      .def_readwrite("seed", &gn::Scenario::seed)
      .def_property_readonly("schedule", [](const gn::Scenario& s) { return gc::primary_schedule(s); })
      .def_property_readonly("forms",
                             [](const gn::Scenario& s) { return gn::guidance_forms(s.guidance_kind); })
      .def_property_readonly("t_start",
                             [](const gn::Scenario& s) { return s.t_max(gc::primary_schedule(s)); })
      .def(
          "alpha",
          [](const gn::Scenario& s, const py::object& t) {
            // Scalars and NumPy arrays alike (vectorised over t).
            const auto proc = s.process<double>(gc::primary_schedule(s));
            return py::vectorize([&proc](double u) { return proc.alpha(u); })(t);
          },
          py::arg("t"))
      .def(
          "sigma2",
          [](const gn::Scenario& s, const py::object& t) {
            // Scalars and NumPy arrays alike (vectorised over t).
            const auto proc = s.process<double>(gc::primary_schedule(s));
            return py::vectorize([&proc](double u) { return proc.sigma2(u); })(t);
          },
          py::arg("t"))
      .def(
          "f",
          [](const gn::Scenario& s, const py::object& t) {
            // Scalars and NumPy arrays alike (vectorised over t).
            const auto proc = s.process<double>(gc::primary_schedule(s));
            return py::vectorize([&proc](double u) { return proc.f(u); })(t);
          },
          py::arg("t"),
          "drift coefficient f = alpha'/alpha of dX = f X dt + g dW (-1 on ou; docs/theory.md section 1)")
      .def(
          "g2",
          [](const gn::Scenario& s, const py::object& t) {
            // Scalars and NumPy arrays alike (vectorised over t).
            const auto proc = s.process<double>(gc::primary_schedule(s));
            return py::vectorize([&proc](double u) { return proc.g2(u); })(t);
          },
          py::arg("t"))
      .def(
          "exact_start",
          [](const gn::Scenario& s, const std::string& form, long n, std::uint64_t seed) {
            // n draws of the exact start law q_{t_start} of the form's target (the theorems' start).
            auto spec =
                gn::scenario_monte_carlo_spec(s, gc::primary_schedule(s), gn::SamplerKind::euler_maruyama);
            spec.seed = seed;
            const gn::MonteCarloEngine engine(gn::scenario_guidance_problem(s, form),
                                              s.process<double>(gc::primary_schedule(s)), spec);
            const auto x = engine.start_points(0, n);
            py::array_t<double> a({static_cast<py::ssize_t>(n), static_cast<py::ssize_t>(s.dimension)});
            std::copy(x.begin(), x.end(), a.mutable_data());
            return a;
          },
          py::arg("form"), py::arg("n"), py::arg("seed"))
      .def(
          "data_samples",
          [](const gn::Scenario& s, long n, std::uint64_t seed) {
            // n draws of the data law p_0 and their classes: ((n, d) array, (n,) int array).
            std::vector<int> labels;
            const auto x = gn::sample_mixture(s.mixture<double>(), n, seed, &labels);
            py::array_t<double> a({static_cast<py::ssize_t>(n), static_cast<py::ssize_t>(s.dimension)});
            std::copy(x.begin(), x.end(), a.mutable_data());
            py::array_t<std::int64_t> c(static_cast<py::ssize_t>(n));
            std::copy(labels.begin(), labels.end(), c.mutable_data());
            return py::make_tuple(a, c);
          },
          py::arg("n"), py::arg("seed") = 1)
      .def(
          "log_reward",
          [](const gn::Scenario& s, py::array_t<double, py::array::c_style | py::array::forcecast> x) {
            // log r(x) of the scenario's Gaussian reward at each row of x.
            if (x.ndim() != 2 || x.shape(1) != s.dimension)
              throw gdverify::InvalidParameter("x",
                                               "must be an (n, " + std::to_string(s.dimension) + ") array");
            const auto r = s.gaussian_reward<double>();
            py::array_t<double> out(x.shape(0));
            gdverify::Vector<double> v(s.dimension);
            for (py::ssize_t i = 0; i < x.shape(0); ++i) {
              for (int j = 0; j < s.dimension; ++j) v(j) = x.at(i, j);
              out.mutable_at(i) = r.log_reward(v);
            }
            return out;
          },
          py::arg("x"))
      .def_property_readonly("num_classes",
                             [](const gn::Scenario& s) { return s.mixture<double>().num_classes(); });

  m.def("default_scenario", &gn::default_scenario, "The built-in scenario (docs/scenario.md)");
  m.def("load_scenario", &gn::load_scenario, py::arg("path"), "A scenario file (TOML, docs/scenario.md)");
  m.def(
      "parse_scenario", [](const std::string& text) { return gn::parse_scenario(text, "<string>"); },
      py::arg("text"));

  m.def(
      "exact_score",
      [](const gn::Scenario& sc, const std::string& form) {
        const auto proc = sc.process<double>(gc::primary_schedule(sc));
        auto model = std::make_shared<gn::ExactScoreModel>(
            gn::scenario_guidance_problem(sc, gn::form_or_first(sc, form)), proc);
        const int d = sc.dimension;
        return py::cpp_function(
            [model, d](py::array_t<double, py::array::c_style | py::array::forcecast> x, double t,
                       const std::string& query, int label) {
              if (x.ndim() != 2 || x.shape(1) != d)
                throw gdverify::InvalidParameter("x", "must be an (n, " + std::to_string(d) + ") array");
              py::array_t<double> out({x.shape(0), x.shape(1)});
              model->score(std::span<const double>(x.data(), static_cast<std::size_t>(x.size())), t,
                           {parse_query(query), label},
                           std::span<double>(out.mutable_data(), static_cast<std::size_t>(out.size())));
              return out;
            },
            py::arg("x"), py::arg("t"), py::arg("query") = "unconditional", py::arg("label") = -1);
      },
      py::arg("scenario"), py::arg("form") = "",
      "The exact score of the scenario's data law on its first schedule: f(x, t, query, label) -> (n, d) "
      "array");

  m.def(
      "assess",
      [](py::function score_fn, const gn::Scenario& sc, const std::string& form, long paths,
         std::vector<std::string> samplers, const std::string& parameterisation, double tv,
         const std::string& name) {
        const auto proc = sc.process<double>(gc::primary_schedule(sc));
        std::shared_ptr<const gn::ScoreModel> model =
            std::make_shared<PythonScoreModel>(score_fn, sc.dimension, name);
        if (parameterisation == "epsilon")
          model = std::make_shared<gn::NoisePredictionModel>(model, proc);
        else if (parameterisation != "score")
          throw gdverify::InvalidParameter("parameterisation",
                                           "'" + parameterisation + "' (expected score or epsilon)");
        gc::ModelAssessmentOptions o;
        o.paths = paths;
        o.tv_tolerance = tv;
        for (const auto& s : samplers) o.samplers.push_back(gn::parse_sampler(s, "samplers"));
        const auto checks = gc::model_checks(sc, gn::form_or_first(sc, form), model, o);
        std::vector<gc::CheckResult> results;
        {
          py::gil_scoped_release release;  // the model re-acquires it per batch
          results = run_all(checks);
        }
        return results_to_python(results);
      },
      py::arg("score_fn"), py::arg("scenario"), py::arg("form") = "", py::arg("paths") = 0,
      py::arg("samplers") = std::vector<std::string>{}, py::arg("parameterisation") = "score",
      py::arg("tv") = 0.05, py::arg("name") = "python model",
      "Judge a score model (a callable on batches) against the scenario's exact law: model.score-error, T1, "
      "T3 and "
      "weak-error per sampler");

  m.def(
      "assess_samples",
      [](const gn::Scenario& sc, const std::string& directory, const std::string& form,
         const std::string& sampler, int steps, bool coupled, long reference_paths, long energy_points) {
        gc::SamplesAssessmentOptions o;
        o.sampler = sampler.empty() ? sc.samplers.front() : gn::parse_sampler(sampler, "sampler");
        o.steps = steps;
        o.coupled = coupled;
        o.reference_paths = reference_paths;
        o.energy_subsample = energy_points;
        const auto checks = gc::samples_checks(sc, gn::form_or_first(sc, form),
                                               gn::read_samples_directory(directory, sc.dimension), o);
        std::vector<gc::CheckResult> results;
        {
          py::gil_scoped_release release;
          results = run_all(checks);
        }
        return results_to_python(results);
      },
      py::arg("scenario"), py::arg("directory"), py::arg("form") = "", py::arg("sampler") = "",
      py::arg("steps") = 0, py::arg("coupled") = false, py::arg("reference_paths") = 0,
      py::arg("energy_points") = 500,
      "Judge a directory of w_<w>.npy / gamma_<g>.npy end samples (docs/models.md)");

  m.def(
      "guidance_scale_to_w", [](double gamma) { return gn::guidance_scale_to_w(gamma); }, py::arg("gamma"),
      "diffusers' guidance_scale gamma to THEORY.md's w = gamma - 1");
}
