#include "gdverify/numerics/vocabulary.hpp"

#include "gdverify/theory/errors.hpp"

namespace gdverify::numerics {

std::string one_of(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i)
    out += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + names[i];
  return out;
}

const std::vector<std::string>& sampler_names() {
  static const std::vector<std::string> names = {"euler-maruyama", "ddpm", "ddim", "heun"};
  return names;
}

SamplerKind parse_sampler(const std::string& name, const std::string& field) {
  for (SamplerKind k : {SamplerKind::euler_maruyama, SamplerKind::ddpm, SamplerKind::ddim, SamplerKind::heun})
    if (sampler_name(k) == name) return k;
  throw InvalidParameter(field, "unknown sampler '" + name + "' (expected " + one_of(sampler_names()) + ")");
}

const std::vector<std::string>& start_law_names() {
  static const std::vector<std::string> names = {"exact", "standard-normal"};
  return names;
}

StartLaw parse_start_law(const std::string& name, const std::string& field) {
  if (name == "exact") return StartLaw::exact;
  if (name == "standard-normal") return StartLaw::standard_normal;
  throw InvalidParameter(field, "unknown start '" + name + "' (expected " + one_of(start_law_names()) + ")");
}

const std::vector<std::string>& guidance_kind_names() {
  static const std::vector<std::string> names = {"cfg", "reward", "both"};
  return names;
}

std::vector<std::string> guidance_forms(const std::string& kind, const std::string& field) {
  if (kind == "cfg") return {"cfg"};
  if (kind == "reward") return {"reward"};
  if (kind == "both") return {"cfg", "reward"};
  throw InvalidParameter(
      field, "unknown guidance kind '" + kind + "' (expected " + one_of(guidance_kind_names()) + ")");
}

const std::vector<std::string>& schedule_names() {
  static const std::vector<std::string> names = {"ou", "vp-linear", "linear"};
  return names;
}

}  // namespace gdverify::numerics
