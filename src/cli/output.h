#pragma once

#include <string>

namespace lir {

// Writes to `path` (mode 0600: reports name people and resources), or stdout if empty.
// Returns false with a message on stderr if the file cannot be written.
bool WriteOutput(const std::string& path, const std::string& content);

// Colour only for a terminal, and never when NO_COLOR is set; `mode` is auto|always|never.
bool UseColor(const std::string& mode);

}  // namespace lir
