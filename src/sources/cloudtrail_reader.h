// Reads CloudTrail evidence in any of the shapes a responder has at hand and hands each
// record to a sink: the native {"Records":[...]} file (.json or .json.gz), a bare JSON
// array of records, JSON Lines, and saved LookupEvents responses ({"Events":[...]} whose
// CloudTrailEvent holds the record as a string). One reader per thread.
//
// Memory: a document up to `whole_document_bytes` is parsed at once (simdjson's DOM takes up
// to ~14x the text for pathological input such as [0,0,...], ~3x for CloudTrail). A larger
// one is read record by record: its records are found by a structure scan and parsed one at
// a time, so the peak is the decoded file plus ~14x the larger of `whole_document_bytes` and
// one record. A record over `max_record_bytes` is skipped and reported; the rest is read.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "sources/input_buffer.h"
#include "sources/record_sink.h"

namespace lir {

struct ReaderOptions {
  uint64_t max_decoded_bytes = kDefaultMaxDecodedBytes;
  uint64_t whole_document_bytes = 16ULL << 20;
  // CloudTrail records are at most a few hundred KB (larger parameters are left out by
  // CloudTrail itself); this only stops one crafted record from taking gigabytes.
  uint64_t max_record_bytes = 16ULL << 20;
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
