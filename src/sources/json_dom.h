// Helpers over simdjson's DOM, for the few .cpp files that parse (simdjson.h is heavy:
// include this only where records are walked).
#pragma once

#include <simdjson.h>

namespace lir {

// Copies the handle into a named value: iterating `e.get_array().value_unsafe()` directly
// in a range-for dangles, since the temporary result dies before the loop body runs (C++20).
inline simdjson::dom::array ArrayOf(const simdjson::dom::element& e) {
  simdjson::dom::array a;
  if (e.get(a) != simdjson::SUCCESS) return {};
  return a;
}

inline simdjson::dom::object ObjectOf(const simdjson::dom::element& e) {
  simdjson::dom::object o;
  if (e.get(o) != simdjson::SUCCESS) return {};
  return o;
}

}  // namespace lir
