// Reads CloudTrail evidence in any of the shapes a responder has at hand and hands each
// record to a sink: the native {"Records":[...]} file (.json or .json.gz), a bare JSON
// array of records, JSON Lines, and saved LookupEvents responses ({"Events":[...]} whose
// CloudTrailEvent holds the record as a string). One reader per thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "sources/input_buffer.h"
#include "sources/record_sink.h"

namespace lir {

struct ReaderOptions {
  uint64_t max_decoded_bytes = kDefaultMaxDecodedBytes;
};

class CloudTrailReader {
 public:
  explicit CloudTrailReader(ReaderOptions options = {});
  ~CloudTrailReader();
  CloudTrailReader(const CloudTrailReader&) = delete;
  CloudTrailReader& operator=(const CloudTrailReader&) = delete;

  // Never throws; every problem goes to sink.OnIssue and the read goes on where it can.
  void ReadFile(const std::string& path, RecordSink& sink);
  // `name` is used in issues. The buffer may be modified (invalid UTF-8 is repaired in place).
  void ReadBuffer(std::string_view name, InputBuffer& buffer, RecordSink& sink);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace lir
