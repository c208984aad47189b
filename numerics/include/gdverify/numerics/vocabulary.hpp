// The scenario's enumerations and their names, in one place: each enum has
// its list of names, a parser that names the offending field, and a printer.
// The scenario parser, the CLI, `eval`, the MPI driver, the checks and the
// reports all use these (docs/scenario.md lists the same names). ScheduleKind,
// schedule_name and parse_schedule live with ForwardProcess in theory/.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "gdverify/theory/forward_process.hpp"

namespace gdverify::numerics {

/// Discrete samplers of THEORY.md T2 (docs/theory.md section 3); Heun is the
/// second-order step of the probability-flow ODE (trapezoidal predictor-corrector).
enum class SamplerKind { euler_maruyama, ddpm, ddim, heun };

/// Where the reverse process starts: the exact law q_{t_start} of THEORY.md
/// (the theorems' start) or N(0, I) (what practice uses; adds an O(alpha_T) error).
enum class StartLaw { exact, standard_normal };

/// What guidance.kind asks for: CFG checks, reward checks, or both.
enum class GuidanceChoice { cfg, reward, both };

/// "euler-maruyama", "ddpm", "ddim", "heun".
std::string sampler_name(SamplerKind k);
const std::vector<std::string>& sampler_names();
/// Throws InvalidParameter naming `field` for an unknown name.
SamplerKind parse_sampler(const std::string& name, const std::string& field = "samplers.names");
const std::vector<SamplerKind>& all_samplers();

/// "exact" (q_T), "standard-normal" (N(0, I)).
std::string start_law_name(StartLaw s);
const std::vector<std::string>& start_law_names();
StartLaw parse_start_law(const std::string& name, const std::string& field = "monte_carlo.start");

/// "cfg", "reward", "both" (guidance.kind).
std::string guidance_choice_name(GuidanceChoice g);
const std::vector<std::string>& guidance_kind_names();
GuidanceChoice parse_guidance_choice(const std::string& name, const std::string& field = "guidance.kind");
/// The forms a guidance.kind asks for: {"cfg"}, {"reward"} or {"cfg", "reward"}.
std::vector<std::string> guidance_forms(GuidanceChoice g);
/// Whether guidance.kind = g asks for checks of `form` ("cfg" or "reward").
bool asks_for(GuidanceChoice g, std::string_view form);

/// "ou", "vp-linear", "linear" (schedule.names).
const std::vector<std::string>& schedule_names();
const std::vector<ScheduleKind>& all_schedules();

/// The names of a list of enum values, in order (for JSON and messages).
std::vector<std::string> names_of(const std::vector<ScheduleKind>& kinds);
std::vector<std::string> names_of(const std::vector<SamplerKind>& kinds);

/// "a", "b" or "c" for error messages.
std::string one_of(const std::vector<std::string>& names);

}  // namespace gdverify::numerics
