#include "gdverify/numerics/vocabulary.hpp"

#include <algorithm>

#include "gdverify/theory/errors.hpp"

namespace gdverify::numerics {

std::string one_of(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i)
    out += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + names[i];
  return out;
}

std::string sampler_name(SamplerKind k) {
  switch (k) {
    case SamplerKind::euler_maruyama: return "euler-maruyama";
    case SamplerKind::ddpm: return "ddpm";
    case SamplerKind::ddim: return "ddim";
    case SamplerKind::heun: return "heun";
  }
  return "?";
}

const std::vector<SamplerKind>& all_samplers() {
  static const std::vector<SamplerKind> kinds = {SamplerKind::euler_maruyama, SamplerKind::ddpm,
                                                 SamplerKind::ddim, SamplerKind::heun};
  return kinds;
}

const std::vector<std::string>& sampler_names() {
  static const std::vector<std::string> names = names_of(all_samplers());
  return names;
}

SamplerKind parse_sampler(const std::string& name, const std::string& field) {
  for (SamplerKind k : all_samplers())
    if (sampler_name(k) == name) return k;
  throw InvalidParameter(field, "unknown sampler '" + name + "' (expected " + one_of(sampler_names()) + ")");
}

std::string start_law_name(StartLaw s) { return s == StartLaw::exact ? "exact" : "standard-normal"; }

const std::vector<std::string>& start_law_names() {
  static const std::vector<std::string> names = {start_law_name(StartLaw::exact),
                                                 start_law_name(StartLaw::standard_normal)};
  return names;
}

StartLaw parse_start_law(const std::string& name, const std::string& field) {
  for (StartLaw s : {StartLaw::exact, StartLaw::standard_normal})
    if (start_law_name(s) == name) return s;
  throw InvalidParameter(field, "unknown start '" + name + "' (expected " + one_of(start_law_names()) + ")");
}

std::string guidance_choice_name(GuidanceChoice g) {
  switch (g) {
    case GuidanceChoice::cfg: return "cfg";
    case GuidanceChoice::reward: return "reward";
    case GuidanceChoice::both: return "both";
  }
  return "?";
}

const std::vector<std::string>& guidance_kind_names() {
  static const std::vector<std::string> names = {guidance_choice_name(GuidanceChoice::cfg),
                                                 guidance_choice_name(GuidanceChoice::reward),
                                                 guidance_choice_name(GuidanceChoice::both)};
  return names;
}

GuidanceChoice parse_guidance_choice(const std::string& name, const std::string& field) {
  for (GuidanceChoice g : {GuidanceChoice::cfg, GuidanceChoice::reward, GuidanceChoice::both})
    if (guidance_choice_name(g) == name) return g;
  throw InvalidParameter(
      field, "unknown guidance kind '" + name + "' (expected " + one_of(guidance_kind_names()) + ")");
}

std::vector<std::string> guidance_forms(GuidanceChoice g) {
  switch (g) {
    case GuidanceChoice::cfg: return {"cfg"};
    case GuidanceChoice::reward: return {"reward"};
    case GuidanceChoice::both: return {"cfg", "reward"};
  }
  return {};
}

bool asks_for(GuidanceChoice g, std::string_view form) {
  const auto forms = guidance_forms(g);
  return std::find(forms.begin(), forms.end(), form) != forms.end();
}

const std::vector<ScheduleKind>& all_schedules() {
  static const std::vector<ScheduleKind> kinds = {ScheduleKind::ou, ScheduleKind::vp_linear,
                                                  ScheduleKind::linear};
  return kinds;
}

const std::vector<std::string>& schedule_names() {
  static const std::vector<std::string> names = names_of(all_schedules());
  return names;
}

std::vector<std::string> names_of(const std::vector<ScheduleKind>& kinds) {
  std::vector<std::string> out;
  for (ScheduleKind k : kinds) out.push_back(schedule_name(k));
  return out;
}

std::vector<std::string> names_of(const std::vector<SamplerKind>& kinds) {
  std::vector<std::string> out;
  for (SamplerKind k : kinds) out.push_back(sampler_name(k));
  return out;
}

}  // namespace gdverify::numerics
