// The AWS shared config and credentials file format: INI with nested sub-sections
// ("s3 =" followed by indented "key = value" lines), keys lowercased as botocore does.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "core/result.h"

namespace lir::aws {

struct IniValue {
  std::string value;
  std::map<std::string, std::string> nested;  // indented lines under an empty value
};

using IniSection = std::map<std::string, IniValue>;

struct IniFile {
  std::map<std::string, IniSection> sections;  // by raw section title ("profile dev", "default")

  const IniSection* Section(const std::string& title) const;
};

// Malformed lines are reported with their line number; `source` names the file.
Result<IniFile> ParseIni(const std::string& text, const std::string& source);

// Reads a file; a missing file is an empty IniFile, not an error (as in the AWS CLI).
Result<IniFile> LoadIniFile(const std::string& path);

}  // namespace lir::aws
