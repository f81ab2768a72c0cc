// Environment variables behind an interface, so configuration resolution can be tested
// with a fixed environment (and compared with botocore's on the same one).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace lir::aws {

class Environment {
 public:
  virtual ~Environment() = default;
  // Unset and empty are the same, as in the AWS CLI.
  virtual std::optional<std::string> Get(std::string_view name) const = 0;
};

class ProcessEnvironment : public Environment {
 public:
  std::optional<std::string> Get(std::string_view name) const override;
};

class MapEnvironment : public Environment {
 public:
  explicit MapEnvironment(std::map<std::string, std::string> values) : values_(std::move(values)) {}
  std::optional<std::string> Get(std::string_view name) const override;

 private:
  std::map<std::string, std::string> values_;
};

}  // namespace lir::aws
