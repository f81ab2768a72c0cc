#include "aws/response_shape.h"

#include <fmt/format.h>

#include "aws/operations.h"
#include "aws/aws_data.h"

namespace lir::aws {
namespace {

using nlohmann::json;

const json& Shapes() { return EmbeddedAwsData("response-shapes.json"); }

const char* KindOf(const json& v) {
  switch (v.type()) {
    case json::value_t::object: return "an object";
    case json::value_t::array: return "an array";
    case json::value_t::string: return "a string";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float: return "a number";
    default: return "null";
  }
}

class Checker {
 public:
  Checker(bool xml, const json& shapes) : xml_(xml), shapes_(shapes) {}

  // Empty when `value` fits `ref`; else what is wrong, at `path`.
  std::string Check(const json& value, const std::string& ref, const std::string& path) const {
    if (value.is_null()) return "";
    if (ref == "string" || ref == "blob") return value.is_string() ? "" : Wrong(path, "a string", value);
    if (ref == "number") return value.is_number() || (xml_ && value.is_string()) ? "" : Wrong(path, "a number", value);
    if (ref == "boolean") return value.is_boolean() || (xml_ && value.is_string()) ? "" : Wrong(path, "a boolean", value);
    if (ref == "timestamp") return value.is_string() || value.is_number() ? "" : Wrong(path, "a timestamp", value);
    const json& shape = shapes_.contains(ref) ? shapes_[ref] : kUnknown();
    const std::string type = shape.value("type", "");
    // An empty XML element (<Versions/>) carries no text: it is any empty structure or list.
    if (xml_ && value.is_string() && value.get_ref<const std::string&>().empty()) return "";
    if (type == "structure") {
      if (!value.is_object()) return Wrong(path, "an object", value);
      const json& members = shape["members"];
      for (auto it = value.begin(); it != value.end(); ++it) {
        auto member = members.find(it.key());
        if (member == members.end()) continue;
        if (auto wrong = Check(it.value(), member->get<std::string>(), Join(path, it.key())); !wrong.empty()) return wrong;
      }
      return "";
    }
    if (type == "list") {
      const std::string element = shape["member"].get<std::string>();
      if (!value.is_array()) {
        // XML lists may be flattened: one element stands alone.
        return xml_ ? Check(value, element, path) : Wrong(path, "an array", value);
      }
      for (size_t i = 0; i < value.size(); ++i) {
        if (auto wrong = Check(value[i], element, fmt::format("{}[{}]", path, i)); !wrong.empty()) return wrong;
      }
      return "";
    }
    if (type == "map") {
      if (xml_) return "";  // <entry><key/><value/></entry> lists: read by no caller
      if (!value.is_object()) return Wrong(path, "an object", value);
      const std::string element = shape["value"].get<std::string>();
      for (auto it = value.begin(); it != value.end(); ++it) {
        if (auto wrong = Check(it.value(), element, Join(path, it.key())); !wrong.empty()) return wrong;
      }
      return "";
    }
    return "";  // a shape the data does not hold: nothing known to check
  }

 private:
  static const json& kUnknown() {
    static const json empty = json::object();
    return empty;
  }
  static std::string Join(const std::string& path, const std::string& key) { return path.empty() ? key : path + "." + key; }
  static std::string Wrong(const std::string& path, const char* want, const json& got) {
    return fmt::format("{}: expected {}, got {}", path.empty() ? "the answer" : "answer member " + path, want, KindOf(got));
  }

  bool xml_;
  const json& shapes_;
};

}  // namespace

Result<void> CheckResponseShape(Service service, std::string_view operation, const json& doc) {
  const json& data = Shapes();
  if (!data.contains("outputs")) return {};
  // botocore names these services as their IAM prefixes do.
  const std::string key = fmt::format("{}.{}", IamPrefixOf(service), operation);
  auto output = data["outputs"].find(key);
  if (output == data["outputs"].end()) return {};
  const Protocol protocol = ProtocolOf(service);
  const Checker checker(protocol != Protocol::kJson && protocol != Protocol::kRestJson, data["shapes"]);
  const std::string wrong = checker.Check(doc, output->get<std::string>(), "");
  if (wrong.empty()) return {};
  Error e{ErrorCode::kCorruptInput, fmt::format("{}: {} (the answer does not have the shape AWS documents; nothing of it was used)",
                                                operation, wrong)};
  e.operation = std::string(operation);
  return tl::unexpected(std::move(e));
}

}  // namespace lir::aws
