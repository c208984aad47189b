#include "gdverify/reports/report.hpp"

#include <fmt/format.h>

#include <mpfr.h>
#include "markup_escape.hpp"
#include "text_file.hpp"

#include <Eigen/Core>
#include <boost/version.hpp>

#include <fstream>

#include "gdverify/reports/check_report.hpp"
#include "gdverify/reports/figures.hpp"
#include "gdverify/reports/output_files.hpp"

#ifndef GDVERIFY_VERSION
#define GDVERIFY_VERSION "unknown"
#endif

namespace gdverify::reports {

nlohmann::json scenario_json(const numerics::Scenario& s) {
  nlohmann::json classes = nlohmann::json::array();
  for (const auto& c : s.classes) {
    nlohmann::json comps = nlohmann::json::array();
    for (const auto& k : c.components)
      comps.push_back({{"weight", k.weight}, {"mean", k.mean}, {"covariance", k.covariance}});
    classes.push_back({{"prior", c.prior}, {"components", comps}});
  }
  return {{"name", s.name},
          {"dimension", s.dimension},
          {"classes", classes},
          {"guided_class", s.guided_class},
          {"reward",
           {{"center", s.reward.center}, {"precision", s.reward.precision}, {"linear", s.reward.linear}}},
          {"schedule",
           {{"names", numerics::names_of(s.schedules)},
            {"ou_horizon", s.ou_horizon},
            {"beta_min", s.beta_min},
            {"beta_max", s.beta_max},
            {"early_stop", s.early_stop}}},
          {"guidance_scales", s.guidance_scales},
          {"seed", s.seed}};
}

nlohmann::json software_versions() {
  return {{"gdverify", GDVERIFY_VERSION},
          {"boost",
           fmt::format("{}.{}.{}", BOOST_VERSION / 100000, BOOST_VERSION / 100 % 1000, BOOST_VERSION % 100)},
          {"eigen", fmt::format("{}.{}.{}", EIGEN_WORLD_VERSION, EIGEN_MAJOR_VERSION, EIGEN_MINOR_VERSION)},
          {"mpfr", mpfr_get_version()},
          {"compiler", __VERSION__},
          {"cxx_standard", static_cast<long>(__cplusplus)}};
}

namespace {

std::string index_html(const numerics::Scenario& scenario, const std::vector<checks::CheckResult>& results,
                       const std::vector<Figure>& figures, const std::vector<checks::SkippedCheck>& not_run) {
  std::size_t passed = 0;
  std::size_t certified = 0;
  for (const auto& r : results) {
    passed += checks::holds(r.verdict);
    certified += r.verdict == checks::Verdict::certified;
  }
  std::string figure_html = figures.empty() ? "" : "<h2>Figures</h2>\n";
  for (const auto& f : figures)
    figure_html += "<figure><img src=\"" + f.file + "\" alt=\"" + detail::markup_escape(f.caption) +
                   "\"><figcaption>" + detail::markup_escape(f.caption) + "</figcaption></figure>\n";
  std::string rows;
  for (const auto& r : results)
    rows += fmt::format(
        "<tr "
        "class=\"{}\"><td><code>{}</code></td><td><code>{}</code></td><td>{}</td><td>{:.3e}</td><td>{:.3e}</"
        "td><td>{}</td><td>{:.2f}</td></tr>\n",
        checks::verdict_name(r.verdict), detail::markup_escape(r.name), detail::markup_escape(r.problem),
        detail::markup_escape(r.description) +
            (r.enclosure ? "<br><small>" + detail::markup_escape(enclosure_text(r)) + "</small>" : ""),
        r.residual, r.tolerance, checks::verdict_name(r.verdict), r.seconds);
  return fmt::format(
      R"(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>gdverify report: {0}</title>
<style>body{{font-family:sans-serif;margin:2em}} table{{border-collapse:collapse}} td,th{{border:1px solid #ccc;padding:3px 8px}} tr.fail,tr.error{{background:#fdd}} tr.inconclusive{{background:#ffd}} tr.certified{{background:#dfd}} pre{{background:#f4f4f4;padding:1em}}</style>
</head><body>
<h1>gdverify report: scenario <code>{0}</code></h1>
<p>{1} of {2} checks held ({8} of them certified by a rigorous enclosure).</p>
<h2>Checks</h2>
<table><tr><th>check</th><th>problem</th><th>statement</th><th>residual</th><th>tolerance</th><th>verdict</th><th>seconds</th></tr>
{3}</table>
{7}
{6}
<h2>Scenario</h2><pre>{4}</pre>
<h2>Software</h2><pre>{5}</pre>
</body></html>
)",
      detail::markup_escape(scenario.name), passed, results.size(), rows,
      detail::markup_escape(scenario_json(scenario).dump(2)),
      detail::markup_escape(software_versions().dump(2)), figure_html,
      not_run.empty() ? std::string()
                      : "<h2>Not run</h2><pre>" + detail::markup_escape(not_run_lines(not_run)) + "</pre>",
      certified);
}

}  // namespace

void fill_report(const std::filesystem::path& tmp, const numerics::Scenario& scenario,
                 const std::vector<checks::CheckResult>& results, bool figures,
                 const std::vector<checks::SkippedCheck>& not_run) {
  detail::write_text(tmp / "checks.json", checks_json(results, not_run).dump(2) + "\n");
  detail::write_text(tmp / "checks.xml", checks_junit(results, not_run));
  detail::write_text(tmp / "scenario.json", scenario_json(scenario).dump(2) + "\n");
  detail::write_text(tmp / "versions.json", software_versions().dump(2) + "\n");
  std::vector<Figure> figs;
  if (figures) {
    nlohmann::json data = nlohmann::json::object();
    figs = write_figures(tmp, scenario, data);
    detail::write_text(tmp / "figures.json", data.dump(2) + "\n");
  }
  std::string md = fmt::format("# gdverify report: scenario {}\n\n", detail::markdown_text(scenario.name));
  md += checks_markdown(results, not_run);
  if (!figs.empty()) md += "\n## Figures\n\n";
  for (const auto& f : figs) md += "![" + f.caption + "](" + f.file + ")\n\n" + f.caption + "\n\n";
  md += "\n## Scenario\n\n" + detail::markdown_code_block(scenario_json(scenario).dump(2), "json");
  md += "\n## Software\n\n" + detail::markdown_code_block(software_versions().dump(2), "json");
  detail::write_text(tmp / "index.md", md);
  detail::write_text(tmp / "index.html", index_html(scenario, results, figs, not_run));
}

void write_report(const std::filesystem::path& dir, const numerics::Scenario& scenario,
                  const std::vector<checks::CheckResult>& results, bool figures,
                  const std::vector<checks::SkippedCheck>& not_run) {
  const auto target = plan_output("--out", dir, OutputKind::report_directory);
  OutputSet out;
  out.add_directory(target, [&](const std::filesystem::path& tmp) {
    fill_report(tmp, scenario, results, figures, not_run);
  });
  out.commit();
}

}  // namespace gdverify::reports
