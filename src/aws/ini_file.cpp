#include "aws/ini_file.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "core/strings.h"

namespace lir::aws {

const IniSection* IniFile::Section(const std::string& title) const {
  auto it = sections.find(title);
  return it == sections.end() ? nullptr : &it->second;
}

Result<IniFile> ParseIni(const std::string& text, const std::string& source) {
  IniFile file;
  IniSection* section = nullptr;
  IniValue* open_value = nullptr;  // the last key with an empty value: may take nested lines
  int line_number = 0;
  for (std::string_view raw : Split(text, '\n')) {
    ++line_number;
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    const std::string_view line = Trim(raw);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    const bool indented = raw[0] == ' ' || raw[0] == '\t';
    if (line.front() == '[') {
      if (line.back() != ']') {
        return MakeError(ErrorCode::kInvalidArgument, fmt::format("{}:{}: unterminated section header", source, line_number));
      }
      section = &file.sections[std::string(Trim(line.substr(1, line.size() - 2)))];
      open_value = nullptr;
      continue;
    }
    const size_t eq = line.find('=');
    if (section == nullptr || eq == std::string_view::npos) {
      return MakeError(ErrorCode::kInvalidArgument,
                       fmt::format("{}:{}: expected 'key = value' inside a [section]", source, line_number));
    }
    const std::string key = ToLower(Trim(line.substr(0, eq)));
    const std::string value(Trim(line.substr(eq + 1)));
    if (indented && open_value != nullptr) {
      open_value->nested[key] = value;
      continue;
    }
    IniValue& slot = (*section)[key];
    slot = IniValue{value, {}};
    open_value = value.empty() ? &slot : nullptr;
  }
  return file;
}

Result<IniFile> LoadIniFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (errno == ENOENT) return IniFile{};
    return MakeError(ErrorCode::kIo, fmt::format("{}: {}", path, std::strerror(errno)));
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  return ParseIni(buffer.str(), path);
}

}  // namespace lir::aws
