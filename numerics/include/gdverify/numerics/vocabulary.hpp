// The names of the scenario's enumerations, in one place: each has its list
// of names, a parser that names the offending field, and a printer. The
// scenario parser, the CLI, `eval`, the MPI driver, the checks and the
// reports all use these (docs/scenario.md lists the same names).
#pragma once

#include <string>
#include <vector>

#include "gdverify/numerics/gaussian_oracle.hpp"
#include "gdverify/numerics/monte_carlo_engine.hpp"
#include "gdverify/theory/forward_process.hpp"

namespace gdverify::numerics {

/// "euler-maruyama", "ddpm", "ddim", "heun".
const std::vector<std::string>& sampler_names();
/// Throws InvalidParameter naming `field` for an unknown name.
SamplerKind parse_sampler(const std::string& name, const std::string& field = "samplers.names");

/// "exact" (q_T), "standard-normal" (N(0, I)); start_law_name is in monte_carlo_engine.hpp.
const std::vector<std::string>& start_law_names();
StartLaw parse_start_law(const std::string& name, const std::string& field = "monte_carlo.start");

/// "cfg", "reward", "both" (guidance.kind).
const std::vector<std::string>& guidance_kind_names();
/// The forms a guidance.kind asks for: {"cfg"}, {"reward"} or {"cfg", "reward"}.
std::vector<std::string> guidance_forms(const std::string& kind, const std::string& field = "guidance.kind");

/// "ou", "vp-linear", "linear" (schedule.names; parse_schedule and
/// schedule_name live with ForwardProcess in theory/).
const std::vector<std::string>& schedule_names();

/// "a", "b" or "c" for error messages.
std::string one_of(const std::vector<std::string>& names);

}  // namespace gdverify::numerics
