#include "aws/xml_to_json.h"

#include <algorithm>
#include <cstring>

#include <pugixml.hpp>

namespace lir::aws {
namespace {

// Deeper than any AWS answer: refused (the conversion recurses once per level).
constexpr int kMaxDepth = 64;

nlohmann::json Convert(const pugi::xml_node& node, int depth, const char* list_element, bool* too_deep) {
  if (depth > kMaxDepth) {
    *too_deep = true;
    return nullptr;
  }
  std::vector<pugi::xml_node> children;
  for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element) children.push_back(c);
  }
  if (children.empty()) return node.child_value();
  const bool all_members = std::all_of(children.begin(), children.end(),
                                       [&](const pugi::xml_node& c) { return std::strcmp(c.name(), list_element) == 0; });
  if (all_members) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& c : children) list.push_back(Convert(c, depth + 1, list_element, too_deep));
    return list;
  }
  nlohmann::json obj = nlohmann::json::object();
  for (const auto& c : children) {
    nlohmann::json value = Convert(c, depth + 1, list_element, too_deep);
    auto it = obj.find(c.name());
    if (it == obj.end()) {
      obj[c.name()] = std::move(value);
    } else {
      // A repeated element is a flattened list (S3's <Contents>).
      if (!it->is_array()) *it = nlohmann::json::array({*it});
      it->push_back(std::move(value));
    }
  }
  return obj;
}

}  // namespace

Result<nlohmann::json> XmlToJson(const std::string& xml, const std::vector<const char*>& list_keys, bool item_lists) {
  pugi::xml_document doc;
  const auto parsed = doc.load_buffer(xml.data(), xml.size());
  if (!parsed) return MakeError(ErrorCode::kCorruptInput, std::string("response is not XML: ") + parsed.description());
  pugi::xml_node root = doc.document_element();
  // <GetRoleResponse><GetRoleResult>...</GetRoleResult><ResponseMetadata/></GetRoleResponse>
  for (pugi::xml_node c = root.first_child(); c; c = c.next_sibling()) {
    const std::string name = c.name();
    if (name.size() > 6 && name.compare(name.size() - 6, 6, "Result") == 0) {
      root = c;
      break;
    }
  }
  bool too_deep = false;
  nlohmann::json out = Convert(root, 0, item_lists ? "item" : "member", &too_deep);
  if (too_deep) return MakeError(ErrorCode::kCorruptInput, "the answer nests deeper than 64 levels");
  if (!out.is_object()) out = nlohmann::json::object();
  for (const char* key : list_keys) {
    auto it = out.find(key);
    if (it == out.end()) {
      out[key] = nlohmann::json::array();
    } else if (it->is_string() && it->get<std::string>().empty()) {
      *it = nlohmann::json::array();
    } else if (it->is_object() && it->size() == 1 && (it->begin()->is_object() || it->begin()->is_array())) {
      // A wrapped list of named elements (S3's <Buckets><Bucket>...): its elements. A flattened
      // item (<Contents>) has several members, or one that is text.
      nlohmann::json items = std::move(*it->begin());
      *it = items.is_array() ? std::move(items) : nlohmann::json::array({std::move(items)});
    } else if (!it->is_array()) {
      *it = nlohmann::json::array({*it});
    }
  }
  return out;
}

}  // namespace lir::aws
