#include "core/safe_name.h"

#include "core/hashing.h"

namespace lir {

std::string SafeName(const std::string& name) {
  std::string out;
  bool changed = false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    out += ok ? c : '_';
    changed |= !ok;
  }
  if (out.empty() || out == "." || out == "..") {
    out = "_" + out;
    changed = true;
  }
  if (changed) out += "-" + Sha256Hex(name).substr(0, 8);
  return out;
}

}  // namespace lir
