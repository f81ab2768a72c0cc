// libFuzzer target: arbitrary bytes through the CloudTrail reader, the event view and every
// shipped rule, the path hostile evidence takes. Built by fuzz/run_fuzz.sh with clang.
#include <cstddef>
#include <cstdint>
#include <string>

#include "analysis/engine.h"
#include "analysis/rule_set.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::vector<lir::Rule> rules = lir::LoadEmbeddedRules().Rules();
  const std::string content(reinterpret_cast<const char*>(data), size);
  lir::ScanOptions options;
  options.jobs = 1;
  options.reader.max_decoded_bytes = 16 << 20;
  (void)lir::Analyze({{"fuzz", content.size(), &content}}, rules, options);
  return 0;
}
