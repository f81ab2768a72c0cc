// Reads CloudTrail evidence in any of the shapes a responder has at hand and hands each
// record to a sink: the native {"Records":[...]} file (.json or .json.gz), a bare JSON
// array of records, JSON Lines, and saved LookupEvents responses ({"Events":[...]} whose
// CloudTrailEvent holds the record as a string). One reader per thread.
//
// Memory: a document up to `whole_document_bytes` decoded is parsed at once (simdjson's DOM
// takes up to ~14x the text for pathological input such as [0,0,...], ~3x for CloudTrail). A
// larger one is streamed: read and inflated a piece at a time, its records found by a
// structure scan over a window that moves forward and parsed one at a time. Neither the file
// nor its decoded text is ever held whole, so the peak is bounded by the options, whatever
// the input's size: about 1x the larger of `whole_document_bytes` and `max_record_bytes`
// for the window, 1x for the record, and the parser's ~3-14x of the largest record parsed. A
// record over `max_record_bytes` is skipped and reported; the rest is read.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "sources/byte_source.h"
#include "sources/input_buffer.h"
#include "sources/record_sink.h"

namespace lir {

struct ReaderOptions {
  uint64_t max_decoded_bytes = kDefaultMaxDecodedBytes;
  uint64_t whole_document_bytes = 16ULL << 20;
  // CloudTrail records are at most a few hundred KB (larger parameters are left out by
  // CloudTrail itself); this only stops one crafted record from taking gigabytes.
  uint64_t max_record_bytes = 16ULL << 20;
  // A streamed document is read (and inflated) this many bytes at a time.
  size_t stream_piece_bytes = 256 << 10;
  // Whole {"Records":[...]} documents are read by the skim (sources/record_skim.h), each
  // record's DOM parsed only when asked for; false: every document parsed whole (the
  // reference the skim is tested against; same records, views and issues).
  bool skim = true;
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
  // A document of any size, read record by record as the source hands its bytes out.
  void ReadStream(std::string_view name, ByteSource& source, RecordSink& sink);
  // The bytes the reader's buffers hold now (what reading has grown them to; the parsers' own
  // memory aside): bounded by the options, whatever the size of what was read.
  size_t HeldBytes() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace lir
