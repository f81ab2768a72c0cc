#include "analysis/yara_scanner.h"

#include <fnmatch.h>
#include <yara.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <mutex>

#include <fmt/format.h>

#include "core/embedded_files.h"
#include "core/strings.h"

namespace lir {
namespace {

std::once_flag yara_init;
constexpr int kScanTimeoutSeconds = 10;
constexpr const char* kExternals[] = {"filepath", "filename", "extension", "filetype", "owner"};

bool IsRuleFile(std::string_view path) {
  return path.size() > 4 && (path.substr(path.size() - 4) == ".yar" || (path.size() > 5 && path.substr(path.size() - 5) == ".yara"));
}

std::string DirName(std::string_view path) {
  const size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? "" : std::string(path.substr(0, slash + 1));
}

// include "x.meta" resolves beside the including file, within the embedded tree only.
const char* IncludeCallback(const char* include_name, const char*, const char* calling_namespace, void*) {
  const std::string wanted = DirName(calling_namespace ? calling_namespace : "") + include_name;
  for (const EmbeddedFile& f : lir_embedded_yara()) {
    if (wanted == f.path) {
      char* copy = static_cast<char*>(std::malloc(f.content.size() + 1));
      std::memcpy(copy, f.content.data(), f.content.size());
      copy[f.content.size()] = '\0';
      return copy;
    }
  }
  return nullptr;
}

void IncludeFree(const char* text, void*) { std::free(const_cast<char*>(text)); }

struct CompileErrors {
  std::string current;
  std::vector<std::string> messages;
};

void CompilerCallback(int level, const char* file, int line, const YR_RULE*, const char* message, void* user) {
  if (level != YARA_ERROR_LEVEL_ERROR) return;
  auto* errors = static_cast<CompileErrors*>(user);
  errors->messages.push_back(fmt::format("{}:{}: {}", errors->current, line, message));
}

struct ScanContext {
  std::string_view path;
  std::string_view content;
  std::vector<YaraMatch>* out;
};

// The line of the rule's earliest string match, for reports that point into the file.
uint32_t FirstMatchLine(YR_SCAN_CONTEXT* scan, YR_RULE* rule, std::string_view content) {
  uint64_t first = UINT64_MAX;
  const YR_STRING* string;
  yr_rule_strings_foreach(rule, string) {
    // libyara keeps matches in a packed arena: a YR_MATCH may sit at any address, so each is
    // copied out before it is read (yr_string_matches_foreach reads them in place, which
    // UBSan reports as misaligned access).
    for (const void* at = scan->matches[string->idx].head; at != nullptr;) {
      YR_MATCH match;
      std::memcpy(&match, at, sizeof match);
      if (!match.is_private) first = std::min(first, static_cast<uint64_t>(match.base + match.offset));
      at = match.next;
    }
  }
  if (first == UINT64_MAX || first > content.size()) return 0;
  const auto newlines = std::count(content.begin(), content.begin() + static_cast<std::ptrdiff_t>(first), '\n');
  return static_cast<uint32_t>(std::min<int64_t>(newlines + 1, UINT32_MAX));
}

int ScanCallback(YR_SCAN_CONTEXT* scan, int message, void* data, void* user) {
  if (message != CALLBACK_MSG_RULE_MATCHING) return CALLBACK_CONTINUE;
  auto* rule = static_cast<YR_RULE*>(data);
  auto* ctx = static_cast<ScanContext*>(user);
  YaraMatch m;
  m.rule = rule->identifier;
  m.ns = rule->ns->name;
  m.file = std::string(ctx->path);
  m.line = FirstMatchLine(scan, rule, ctx->content);
  const YR_META* meta;
  yr_rule_metas_foreach(rule, meta) {
    if (meta->type == META_TYPE_STRING) m.meta[meta->identifier] = meta->string;
    else if (meta->type == META_TYPE_INTEGER) m.meta[meta->identifier] = std::to_string(meta->integer);
    else m.meta[meta->identifier] = meta->integer ? "true" : "false";
  }
  ctx->out->push_back(std::move(m));
  return CALLBACK_CONTINUE;
}

}  // namespace

struct YaraScanner::Impl {
  YR_RULES* rules = nullptr;  // shared, read-only while scanning
  ~Impl() {
    if (rules) yr_rules_destroy(rules);
  }
};

YaraScanner::~YaraScanner() = default;

bool PathIncluded(const std::string& globs, const std::string& path) {
  for (std::string_view glob : Split(globs, ',')) {
    const std::string g(Trim(glob));
    if (!g.empty() && fnmatch(g.c_str(), path.c_str(), 0) == 0) return true;
  }
  return false;
}

Result<std::unique_ptr<YaraScanner>> YaraScanner::FromEmbedded() {
  std::call_once(yara_init, [] { yr_initialize(); });
  YR_COMPILER* compiler = nullptr;
  if (yr_compiler_create(&compiler) != ERROR_SUCCESS) return MakeError(ErrorCode::kInternal, "libyara: cannot create a compiler");
  CompileErrors errors;
  yr_compiler_set_callback(compiler, &CompilerCallback, &errors);
  yr_compiler_set_include_callback(compiler, &IncludeCallback, &IncludeFree, nullptr);
  for (const char* name : kExternals) yr_compiler_define_string_variable(compiler, name, "");
  for (const EmbeddedFile& f : lir_embedded_yara()) {
    if (!IsRuleFile(f.path)) continue;
    errors.current = f.path;
    const std::string text(f.content);
    yr_compiler_add_string(compiler, text.c_str(), f.path);
  }
  if (!errors.messages.empty()) {
    yr_compiler_destroy(compiler);
    return MakeError(ErrorCode::kInvalidRule, "YARA rules do not compile: " + errors.messages.front());
  }
  std::unique_ptr<YaraScanner> s(new YaraScanner());
  s->impl_ = std::make_unique<Impl>();
  if (yr_compiler_get_rules(compiler, &s->impl_->rules) != ERROR_SUCCESS) {
    yr_compiler_destroy(compiler);
    return MakeError(ErrorCode::kInternal, "libyara: cannot get compiled rules");
  }
  yr_compiler_destroy(compiler);
  const YR_RULE* rule;
  yr_rules_foreach(s->impl_->rules, rule) { ++s->rule_count_; }
  return s;
}

std::vector<YaraMatch> YaraScanner::Scan(std::string_view path, std::string_view content, bool all_rules) {
  std::vector<YaraMatch> out;
  // A scanner per call: the compiled rules are shared, so files scan in parallel threads.
  YR_SCANNER* raw = nullptr;
  if (yr_scanner_create(impl_->rules, &raw) != ERROR_SUCCESS) return out;
  std::unique_ptr<YR_SCANNER, decltype(&yr_scanner_destroy)> owned(raw, &yr_scanner_destroy);
  yr_scanner_set_timeout(raw, kScanTimeoutSeconds);
  const std::string filepath(path);
  const size_t slash = filepath.rfind('/');
  const std::string filename = slash == std::string::npos ? filepath : filepath.substr(slash + 1);
  const size_t dot = filename.rfind('.');
  const std::string extension = dot == std::string::npos ? "" : filename.substr(dot);
  YR_SCANNER* scanner = raw;
  yr_scanner_define_string_variable(scanner, "filepath", filepath.c_str());
  yr_scanner_define_string_variable(scanner, "filename", filename.c_str());
  yr_scanner_define_string_variable(scanner, "extension", extension.c_str());
  yr_scanner_define_string_variable(scanner, "filetype", "");
  yr_scanner_define_string_variable(scanner, "owner", "");
  ScanContext ctx{path, content, &out};
  yr_scanner_set_callback(scanner, &ScanCallback, &ctx);
  yr_scanner_scan_mem(scanner, reinterpret_cast<const uint8_t*>(content.data()), content.size());
  if (!all_rules) {
    std::erase_if(out, [&](const YaraMatch& m) {
      auto it = m.meta.find("path_include");
      return it != m.meta.end() && !PathIncluded(it->second, filepath);
    });
  }
  return out;
}

}  // namespace lir
