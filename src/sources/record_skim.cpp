#include "sources/record_skim.h"

#include <cstring>

#include <simdjson.h>

#include "core/strings.h"

namespace lir {
namespace {

// The DOM parser allows 1024 levels; a deeper document is left to it (and its error).
constexpr uint32_t kMaxDepth = 512;

bool IsSpace(uint8_t c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// A number whose value a DOM would hold without rounding trouble or error: at most 18
// digits as an integer, 17 significant digits and a two-digit exponent otherwise. Longer
// ones are valid JSON too, but the DOM path decides what becomes of them.
bool SafeNumber(std::string_view t) {
  size_t k = 0;
  if (k < t.size() && t[k] == '-') ++k;
  const size_t int_start = k;
  if (k < t.size() && t[k] == '0') {
    ++k;
  } else if (k < t.size() && t[k] >= '1' && t[k] <= '9') {
    while (k < t.size() && t[k] >= '0' && t[k] <= '9') ++k;
  } else {
    return false;
  }
  const size_t int_digits = k - int_start;
  size_t frac_digits = 0;
  bool plain = true;
  if (k < t.size() && t[k] == '.') {
    plain = false;
    ++k;
    while (k < t.size() && t[k] >= '0' && t[k] <= '9') ++k, ++frac_digits;
    if (frac_digits == 0) return false;
  }
  if (k < t.size() && (t[k] == 'e' || t[k] == 'E')) {
    plain = false;
    ++k;
    if (k < t.size() && (t[k] == '+' || t[k] == '-')) ++k;
    size_t exp_digits = 0;
    while (k < t.size() && t[k] >= '0' && t[k] <= '9') ++k, ++exp_digits;
    if (exp_digits == 0 || exp_digits > 2) return false;
  }
  if (k != t.size()) return false;
  return plain ? int_digits <= 18 : int_digits + frac_digits <= 17;
}

class Walker {
 public:
  Walker(const uint8_t* buf, const uint32_t* idx, uint32_t n) : buf_(buf), idx_(idx), n_(n) {}

  uint32_t count() const { return n_; }
  // Past the last structural, the index points at the text's end, where a 0 was written:
  // no check needed, as every state stops at a 0 before reading two structurals further.
  uint8_t At(uint32_t i) const { return buf_[idx_[i]]; }
  // Also past the end: the index holds the text's length at n and n + 1.
  uint32_t Pos(uint32_t i) const { return idx_[i]; }

  // The raw text of the string opened at structural i: up to its closing quote, which is
  // the last non-space byte before the next structural (stage 1 marks anything else).
  bool String(uint32_t i, std::string_view* out) const {
    uint32_t end = Pos(i + 1);
    if (buf_[end - 1] == '"' && end >= idx_[i] + 2) {  // most strings: the structural right after
      *out = std::string_view(reinterpret_cast<const char*>(buf_) + idx_[i] + 1, end - idx_[i] - 2);
      return true;
    }
    while (end > idx_[i] + 1 && IsSpace(buf_[end - 1])) --end;
    if (end < idx_[i] + 2 || buf_[end - 1] != '"') return false;
    *out = std::string_view(reinterpret_cast<const char*>(buf_) + idx_[i] + 1, end - idx_[i] - 2);
    return true;
  }
  std::string_view StringOr(uint32_t i) const {
    std::string_view s;
    return At(i) == '"' && String(i, &s) ? s : std::string_view{};
  }

  bool Atom(uint32_t i) const {
    uint32_t end = Pos(i + 1);
    while (end > idx_[i] && IsSpace(buf_[end - 1])) --end;
    const std::string_view t(reinterpret_cast<const char*>(buf_) + idx_[i], end - idx_[i]);
    return IsLiteral(t, "true") || IsLiteral(t, "false") || IsLiteral(t, "null") || SafeNumber(t);
  }

  // Steps over the value at *i, checking its grammar; `depth` is the value's own level.
  bool SkipValue(uint32_t* i, uint32_t depth) {
    uint32_t k = *i;
    uint32_t base = depth;
    // An explicit stack: '{' or '[' for every open container above the value being read.
  value:
    switch (At(k)) {
      case '{':
      case '[': {
        const uint8_t open = At(k);
        if (depth >= kMaxDepth) return false;
        stack_[depth++] = open;
        ++k;
        const uint8_t close = open == '{' ? '}' : ']';
        if (At(k) == close) {  // empty
          --depth, ++k;
          goto after;
        }
        if (open == '{') goto key;
        goto value;
      }
      case '"':
        // Stage 1 closed it, and marks anything but spaces after its closing quote.
        ++k;
        goto after;
      case 0: case ':': case ',': case '}': case ']':
        return false;
      default:
        if (!Atom(k)) return false;
        ++k;
        goto after;
    }
  key:
    if (At(k) != '"' || At(k + 1) != ':') return false;
    k += 2;
    goto value;
  after:
    if (depth == base) {
      *i = k;
      return true;
    }
    switch (At(k)) {
      case ',':
        ++k;
        if (stack_[depth - 1] == '{') goto key;
        goto value;
      case '}':
        if (stack_[depth - 1] != '{') return false;
        --depth, ++k;
        goto after;
      case ']':
        if (stack_[depth - 1] != '[') return false;
        --depth, ++k;
        goto after;
      default:
        return false;
    }
  }

  // Walks the object opened at *i, checking it, and calls on(key, value index) for each
  // member: `on` returns one past the value when it walked (and checked) the value itself,
  // kStepOver to have it stepped over here, kBroken when the value is not JSON. *i is left
  // one past the object.
  static constexpr uint32_t kStepOver = 0, kBroken = UINT32_MAX;
  template <typename F>
  bool Object(uint32_t* i, uint32_t depth, F&& on) {
    uint32_t k = *i + 1;
    if (At(k) == '}') {
      *i = k + 1;
      return true;
    }
    while (true) {
      std::string_view key;
      if (At(k) != '"' || !String(k, &key) || At(k + 1) != ':') return false;
      const uint32_t at = k + 2;
      k = on(key, at);
      if (k == kBroken) return false;
      if (k == kStepOver) {
        // Most values are strings: stepped over here, without a call.
        k = at;
        if (At(at) == '"') ++k;
        else if (!SkipValue(&k, depth + 1)) return false;
      }
      if (At(k) == ',') {
        ++k;
        continue;
      }
      if (At(k) != '}') return false;
      *i = k + 1;
      return true;
    }
  }

  // Steps over a value already checked.
  uint32_t SkipChecked(uint32_t i) const {
    const uint8_t c = At(i);
    if (c != '{' && c != '[') return i + 1;
    int depth = 1;
    ++i;
    while (depth > 0) {
      const uint8_t x = At(i++);
      depth += (x == '{' || x == '[') - (x == '}' || x == ']');
    }
    return i;
  }

  // Calls f(key, value index) for each member of the checked object opened at `open`,
  // until f returns false.
  template <typename F>
  void ForEachMember(uint32_t open, F&& f) const {
    uint32_t i = open + 1;
    if (At(i) == '}') return;
    while (true) {
      std::string_view key;
      String(i, &key);
      if (!f(key, i + 2)) return;
      i = SkipChecked(i + 2);
      if (At(i) != ',') return;
      ++i;
    }
  }

  // The first member named `name` of the checked object at `open`, as a string (else empty).
  template <size_t N>
  std::string_view StringMember(uint32_t open, const char (&name)[N]) const {
    std::string_view out;
    ForEachMember(open, [&](std::string_view key, uint32_t value) {
      if (!IsLiteral(key, name)) return true;
      out = StringOr(value);
      return false;
    });
    return out;
  }

 private:
  const uint8_t* buf_;
  const uint32_t* idx_;
  uint32_t n_;
  uint8_t stack_[kMaxDepth];
};

// userIdentity's fields, as ViewIdentity reads them from the DOM, read as the object at
// *i is checked (one walk). Returns one past it, or kBroken.
uint32_t SkimIdentity(Walker& w, uint32_t i, uint32_t depth, EventView* v) {
  uint32_t seen = 0;
  const bool ok = w.Object(&i, depth, [&](std::string_view key, uint32_t at) -> uint32_t {
    if (IsLiteral(key, "type") && FirstTime(&seen, 0)) v->actor_type = w.StringOr(at);
    else if (IsLiteral(key, "arn") && FirstTime(&seen, 1)) v->actor_arn = w.StringOr(at);
    else if (IsLiteral(key, "principalId") && FirstTime(&seen, 2)) v->principal_id = w.StringOr(at);
    else if (IsLiteral(key, "accountId") && FirstTime(&seen, 3)) v->actor_account = w.StringOr(at);
    else if (IsLiteral(key, "accessKeyId") && FirstTime(&seen, 4)) v->access_key_id = w.StringOr(at);
    else if (IsLiteral(key, "userName") && FirstTime(&seen, 5)) v->user_name = w.StringOr(at);
    else if (IsLiteral(key, "invokedBy") && FirstTime(&seen, 6)) v->invoked_by = w.StringOr(at);
    else if (IsLiteral(key, "sessionContext") && FirstTime(&seen, 7) && w.At(at) == '{') {
      // Its first sessionIssuer, when that is an object (DOM: context["sessionIssuer"]).
      uint32_t context = at;
      bool first_issuer = true;
      const bool context_ok = w.Object(&context, depth + 1, [&](std::string_view name, uint32_t value) -> uint32_t {
        if (!IsLiteral(name, "sessionIssuer") || !first_issuer) return Walker::kStepOver;
        first_issuer = false;
        if (w.At(value) != '{') return Walker::kStepOver;
        uint32_t issuer = value, issuer_seen = 0;
        const bool issuer_ok = w.Object(&issuer, depth + 2, [&](std::string_view field, uint32_t at2) -> uint32_t {
          if (IsLiteral(field, "arn") && FirstTime(&issuer_seen, 0)) v->issuer_arn = w.StringOr(at2);
          else if (IsLiteral(field, "userName") && FirstTime(&issuer_seen, 1)) v->issuer_name = w.StringOr(at2);
          else if (IsLiteral(field, "type") && FirstTime(&issuer_seen, 2)) v->issuer_type = w.StringOr(at2);
          return Walker::kStepOver;
        });
        return issuer_ok ? issuer : Walker::kBroken;
      });
      return context_ok ? context : Walker::kBroken;
    }
    return Walker::kStepOver;
  });
  return ok ? i : Walker::kBroken;
}

// What the call touched, as ViewTarget reads it from the DOM.
void SkimTarget(const Walker& w, uint32_t request, uint32_t response, EventView* v) {
  const bool has_req = request != 0 && w.At(request) == '{';
  const bool has_resp = response != 0 && w.At(response) == '{';
  if (IsLiteral(v->source, "lambda.amazonaws.com")) {
    std::string_view fn = has_req ? w.StringMember(request, "functionName") : std::string_view{};
    if (fn.empty() && has_resp) fn = w.StringMember(response, "functionName");
    if (fn.empty() && has_resp) fn = w.StringMember(response, "functionArn");
    if (!fn.empty()) v->function = FunctionNameFromRef(fn);
    std::string_view role = has_req ? w.StringMember(request, "role") : std::string_view{};
    if (role.empty() && has_resp) role = w.StringMember(response, "role");
    if (!role.empty()) v->role = RoleNameFromRef(role);
  } else if (IsLiteral(v->source, "iam.amazonaws.com") && has_req) {
    v->role = w.StringMember(request, "roleName");
  }
}

// One record (the object opened at *i): checked, and its common fields read as ViewEvent
// reads them. *i is left one past it; the request and response objects' positions are kept
// for the target, read once the source is known.
bool SkimRecord(Walker& w, uint32_t* i, uint32_t depth, EventView* v, uint32_t* request, uint32_t* response) {
  *request = *response = 0;
  uint32_t seen = 0;
  return w.Object(i, depth, [&](std::string_view key, uint32_t at) -> uint32_t {
    switch (key.size()) {
      case 7:
        if (IsLiteral(key, "eventID") && FirstTime(&seen, 0)) v->event_id = w.StringOr(at);
        break;
      case 8:
        if (IsLiteral(key, "readOnly") && FirstTime(&seen, 1)) {
          const uint8_t c = w.At(at);
          if (c == '"') v->read_only = IsLiteral(w.StringOr(at), "true");
          else if (c == 't' || c == 'f') v->read_only = c == 't';  // checked as an atom when stepped over
        }
        break;
      case 9:
        if (IsLiteral(key, "eventTime") && FirstTime(&seen, 2)) v->event_time = w.StringOr(at);
        else if (IsLiteral(key, "eventName") && FirstTime(&seen, 3)) v->name_raw = w.StringOr(at);
        else if (IsLiteral(key, "errorCode") && FirstTime(&seen, 4)) v->error_code = w.StringOr(at);
        else if (IsLiteral(key, "eventType") && FirstTime(&seen, 5)) v->event_type = w.StringOr(at);
        else if (IsLiteral(key, "awsRegion") && FirstTime(&seen, 6)) v->region = w.StringOr(at);
        else if (IsLiteral(key, "userAgent") && FirstTime(&seen, 7)) v->user_agent = w.StringOr(at);
        break;
      case 11:
        if (IsLiteral(key, "eventSource") && FirstTime(&seen, 8)) v->source = w.StringOr(at);
        break;
      case 12:
        if (IsLiteral(key, "errorMessage") && FirstTime(&seen, 9)) v->error_message = w.StringOr(at);
        else if (IsLiteral(key, "userIdentity") && FirstTime(&seen, 10) && w.At(at) == '{') return SkimIdentity(w, at, depth + 1, v);
        break;
      case 15:
        if (IsLiteral(key, "sourceIPAddress") && FirstTime(&seen, 11)) v->source_ip = w.StringOr(at);
        break;
      case 16:
        if (IsLiteral(key, "responseElements") && FirstTime(&seen, 12)) *response = at;
        break;
      case 17:
        if (IsLiteral(key, "requestParameters") && FirstTime(&seen, 13)) *request = at;
        break;
      case 18:
        if (IsLiteral(key, "recipientAccountId") && FirstTime(&seen, 14)) v->recipient_account = w.StringOr(at);
        break;
      default:
        break;
    }
    return Walker::kStepOver;
  });
}

}  // namespace

bool RecordSkim::Skim(char* data, size_t size, simdjson::dom::parser& index_parser, simdjson::dom::parser& record_parser) {
  const std::string_view text(data, size);
  records_.clear();
  views_.clear();
  const auto* buf = reinterpret_cast<const uint8_t*>(text.data());
  if (text.empty() || text.size() > 0xFFFFFFF0u) return false;
  if (index_parser.capacity() < text.size() && index_parser.allocate(text.size()) != simdjson::SUCCESS) return false;
  if (index_parser.implementation->stage1(buf, text.size(), simdjson::stage1_mode::regular) != simdjson::SUCCESS) {
    return false;  // invalid UTF-8, an unclosed string, a control character: the DOM path says which
  }
  uint32_t* index = index_parser.implementation->structural_indexes.get();
  const uint32_t n = index_parser.implementation->n_structural_indexes;
  // The index has room past its end (simdjson writes sentinels there too), the text in its padding.
  index[n] = index[n + 1] = static_cast<uint32_t>(size);
  data[size] = 0;
  Walker w(buf, index, n);
  // Only {"...":..., "Records":[...]}: other shapes (arrays, LookupEvents, single records,
  // digests) are the DOM path's.
  if (w.At(0) != '{' || w.At(1) == '}') return false;
  uint32_t i = 1;
  bool found = false;
  // Views past twice the text would be more than the DOM takes: such tiny records go its way.
  const size_t max_views = (2 * text.size()) / sizeof(EventView) + 64;
  // Stage 1 does not check escapes; the DOM does. A record holding a backslash is checked by
  // parsing it; one anywhere else (a member beside Records, an element that is no object)
  // makes the skim decline. One cursor over the text finds them all, in one pass.
  auto find_backslash = [&](size_t from) {
    const void* at = std::memchr(text.data() + from, '\\', text.size() - from);
    return at == nullptr ? text.size() : static_cast<size_t>(static_cast<const char*>(at) - text.data());
  };
  size_t backslash = find_backslash(0);  // the first at or after the last `from` asked
  auto next_backslash = [&](size_t from) {  // `from` never decreases
    if (backslash < from) backslash = find_backslash(from);
    return backslash;
  };
  size_t checked_until = 0;  // every byte before it is in an object record, or free of backslashes
  while (true) {
    std::string_view key;
    if (w.At(i) != '"' || !w.String(i, &key) || w.At(i + 1) != ':') return false;
    if (key.find('\\') != std::string_view::npos) return false;  // "Rec\u006frds" is Records too
    i += 2;
    if (!found && (IsLiteral(key, "Records") || IsLiteral(key, "Events"))) {
      if (!IsLiteral(key, "Records") || w.At(i) != '[') return false;
      found = true;
      ++i;
      if (w.At(i) == ']') {
        ++i;
      } else {
        while (true) {
          SkimmedRecord record;
          record.begin = w.Pos(i);
          if (w.At(i) != '{') {
            record.kind = SkimmedRecord::Kind::kNotObject;
            if (!w.SkipValue(&i, 2)) return false;
          } else {
            // Read in place: a view is large, and most records keep theirs.
            if (views_.size() >= max_views) return false;
            EventView& v = views_.emplace_back();
            uint32_t request = 0, response = 0;
            if (!SkimRecord(w, &i, 2, &v, &request, &response)) return false;
            record.end = w.Pos(i - 1) + 1;
            const char* bytes = text.data() + record.begin;
            if (next_backslash(checked_until) < record.begin) return false;
            checked_until = record.end;
            if (next_backslash(record.begin) < record.end) {
              // Escapes: the DOM decodes (and checks) them; the record is read from its DOM.
              simdjson::dom::element checked;
              if (record_parser.parse(bytes, record.end - record.begin, false).get(checked) != simdjson::SUCCESS) {
                return false;
              }
              record.kind = SkimmedRecord::Kind::kFromDom;
              views_.pop_back();
            } else {
              record.why = FinishView(&v, &times_);
              if (record.why == nullptr) SkimTarget(w, request, response, &v);
            }
          }
          records_.push_back(record);
          if (w.At(i) == ',') {
            ++i;
            continue;
          }
          if (w.At(i) != ']') return false;
          ++i;
          break;
        }
      }
    } else if (!w.SkipValue(&i, 1)) {
      return false;
    }
    if (w.At(i) == ',') {
      ++i;
      continue;
    }
    if (w.At(i) != '}') return false;
    ++i;
    break;
  }
  return found && i == w.count() && next_backslash(checked_until) == text.size();
}

}  // namespace lir
