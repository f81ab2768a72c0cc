#pragma once

#include <string>

namespace lir {

// Writes to `path`, a new file of mode 0600 (reports name people and resources), created
// without following a link; an existing file is refused unless `replace`. Empty or "-" is
// stdout. Returns false with a message on stderr if anything could not be written, stdout
// included (a full disk, a closed pipe).
bool WriteOutput(const std::string& path, const std::string& content, bool replace = false);

// Colour only for a terminal, and never when NO_COLOR is set; `mode` is auto|always|never.
bool UseColor(const std::string& mode);

}  // namespace lir
