// Scenario files (TOML). The schema, every key with its default, is in
// docs/scenario.md. Every invalid value or unknown key is rejected with the
// file, the line, the key and the reason, before any work starts.
#pragma once

#include <stdexcept>
#include <string>

#include "gdverify/numerics/scenario.hpp"

namespace gdverify::numerics {

class ScenarioError : public std::runtime_error {
 public:
  ScenarioError(std::string file, long line, std::string key, std::string reason)
      : std::runtime_error(file + ":" + std::to_string(line) + ": " + key + ": " + reason),
        file_(std::move(file)),
        line_(line),
        key_(std::move(key)),
        reason_(std::move(reason)) {}
  [[nodiscard]] const std::string& file() const { return file_; }
  [[nodiscard]] long line() const { return line_; }
  [[nodiscard]] const std::string& key() const { return key_; }
  [[nodiscard]] const std::string& reason() const { return reason_; }

 private:
  std::string file_;
  long line_;
  std::string key_;
  std::string reason_;
};

/// Parses and fully validates a scenario file (including building its
/// mixture and reward, and loading a named data set).
Scenario load_scenario(const std::string& path);

/// The same from TOML text; `name` stands in for the file name in messages.
Scenario parse_scenario(const std::string& text, const std::string& name);

}  // namespace gdverify::numerics
