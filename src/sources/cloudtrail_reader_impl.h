// The reader's state and steps, shared by the whole-document path (cloudtrail_reader.cpp)
// and the record-by-record path for large documents (cloudtrail_stream.cpp). Internal.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "sources/cloudtrail_reader.h"
#include "sources/json_dom.h"
#include "sources/json_extent.h"

namespace lir {

// Replaces every invalid UTF-8 sequence with '?', so one bad byte costs one character
// rather than the whole file. Returns the offset of the first repair, or npos.
size_t RepairUtf8(char* data, size_t size);
bool IsBlank(const char* data, size_t size);

struct CloudTrailReader::Impl {
  ReaderOptions options;
  simdjson::dom::parser parser;
  simdjson::dom::parser nested_parser;  // CloudTrailEvent strings inside LookupEvents
  InputBuffer nested_buffer;
  InputBuffer file_buffer;     // reused across files
  InputBuffer scratch_buffer;  // raw (compressed) bytes, reused
  InputBuffer number_buffer;   // a document with its unholdable numbers quoted
  InputBuffer record_buffer;   // one record of a large document

  // Parses `size` bytes of `data` (padded); a number the parser cannot hold is kept as text
  // and reported against `file`/`where` (when a sink is given) instead of failing the document.
  simdjson::error_code Parse(simdjson::dom::parser& p, char* data, size_t size, std::string_view file,
                             const std::string& where, RecordSink* sink, simdjson::dom::element* doc);

  // Parse, and when the parser objects to the UTF-8, repair it in place (reported at byte
  // `offset` + the first repair in the file) and parse again.
  simdjson::error_code ParseRepairingUtf8(char* data, size_t size, size_t offset, std::string_view file,
                                          const std::string& where, RecordSink& sink, simdjson::dom::element* doc);

  void Dispatch(std::string_view file, const simdjson::dom::element& doc, uint64_t base_index, RecordSink& sink,
                int depth);
  // One element of a top-level array: a Records/Events document, a LookupEvents entry or a record.
  void DispatchItem(std::string_view file, const simdjson::dom::element& item, uint64_t index, RecordSink& sink,
                    int depth);
  void EmitRecord(std::string_view file, const simdjson::dom::element& record, uint64_t index, RecordSink& sink);
  void EmitLookupEvent(std::string_view file, const simdjson::dom::element& event, uint64_t index,
                       RecordSink& sink);
  void ReadJsonLines(std::string_view file, InputBuffer& buffer, RecordSink& sink);
  bool FirstLineIsDocument(const InputBuffer& buffer);

  // --- large documents (cloudtrail_stream.cpp) ---
  void ReadLarge(std::string_view file, InputBuffer& buffer, RecordSink& sink);
  // Reads the value at `pos` of `text` one record at a time, as Dispatch reads a parsed one;
  // a break in the structure is reported against `where` ("" for the whole file). Returns
  // one past the value, or nothing when it broke.
  std::optional<size_t> StreamValue(std::string_view file, std::string_view text, size_t pos, uint64_t base_index,
                                    RecordSink& sink, int depth, const std::string& where);
  // Streams the Records (else Events) array of the object at `pos`; `*streamed` is false
  // when it has neither, and the caller reads the object as a whole.
  Result<size_t> StreamObject(std::string_view file, std::string_view text, size_t pos, RecordSink& sink,
                              bool* streamed);
  void StreamItem(std::string_view file, std::string_view text, JsonSpan span, uint64_t index, RecordSink& sink,
                  int depth);
  // Copies one span out of the document and parses it; false (reported) when it cannot.
  bool ParseSpan(std::string_view file, std::string_view text, JsonSpan span, const std::string& where,
                 RecordSink& sink, simdjson::dom::element* out);
  // A member name as JSON means it (escapes decoded).
  std::string KeyOf(std::string_view raw_key);
};

}  // namespace lir
