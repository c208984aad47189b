// Typed errors for invalid model parameters. Every error names the offending
// field so that a scenario file, a test or a user of the library can say which
// value was wrong (brief: "a clear error naming the field").
#pragma once

#include <stdexcept>
#include <string>
#include <utility>

namespace gdverify {

/// Thrown when a parameter of a model (schedule, mixture, reward, guidance)
/// is invalid. `field()` is a dotted path such as
/// `classes[1].components[0].covariance`.
class InvalidParameter : public std::invalid_argument {
 public:
  InvalidParameter(std::string field, const std::string& reason)
      : std::invalid_argument(field + ": " + reason), field_(std::move(field)) {}
  [[nodiscard]] const std::string& field() const noexcept { return field_; }

 private:
  std::string field_;
};

}  // namespace gdverify
