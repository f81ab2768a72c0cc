// The reader's state and steps, shared by the whole-document path (cloudtrail_reader.cpp)
// and the record-by-record path for large documents (cloudtrail_stream.cpp). Internal.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "sources/cloudtrail_reader.h"
#include "sources/json_dom.h"
#include "sources/json_extent.h"
#include "sources/json_text.h"
#include "sources/record_skim.h"

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

  // A skimmed record's DOM, parsed from its bytes when a consumer asks.
  struct RecordParser final : RecordDom {
    simdjson::dom::parser parser;
    simdjson::dom::element element;
    const simdjson::dom::element& Parse(std::string_view text) override;
  };
  RecordParser record_dom;
  RecordSkim skim;
  // Reads the document by the skim; false (nothing read) when the DOM path must.
  bool ReadSkimmed(std::string_view file, InputBuffer& buffer, RecordSink& sink);

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
  bool FirstLineIsDocument(const InputBuffer& buffer);

  // --- large documents, record by record (cloudtrail_stream.cpp) ---
  // The largest window a streamed document holds: one record, or one line of JSON Lines.
  size_t WindowBytes() const;
  void ReadLarge(std::string_view file, JsonText& text, RecordSink& sink);
  // One line at a time from `start` (after `lines_before` lines); a line over
  // whole_document_bytes is read as a large value.
  void ReadJsonLines(std::string_view file, JsonText& text, RecordSink& sink, size_t start = 0,
                     uint64_t lines_before = 0);
  // Reads the value at `pos` one record at a time, as Dispatch reads a parsed one; a break in
  // the structure is reported against `where` ("" for the whole file). Returns one past the
  // value, or nothing when it broke.
  std::optional<size_t> StreamValue(std::string_view file, JsonText& text, size_t pos, uint64_t base_index,
                                    RecordSink& sink, const std::string& where);
  // Streams the first Records or Events array of the object at `pos`; `*streamed` is false
  // when it has neither (the object is then one record, or nothing CloudTrail writes).
  Result<size_t> StreamObject(std::string_view file, JsonText& text, size_t pos, RecordSink& sink, bool* streamed);
  // One element of a top-level array; returns one past it.
  Result<size_t> StreamItem(std::string_view file, JsonText& text, size_t pos, uint64_t index, RecordSink& sink);
  // Copies one span out of the document and parses it; false (reported) when it cannot.
  bool ParseSpan(std::string_view file, JsonText& text, JsonSpan span, const std::string& where, RecordSink& sink,
                 simdjson::dom::element* out);
  // The member name the object means (escapes decoded), when it is one the reader looks for.
  std::string KeyOf(std::string_view raw_key);
  // The source broke (I/O, gzip, a limit) and ended the text: said once, after the records before it.
  bool ReportFailure(std::string_view file, const JsonText& text, RecordSink& sink);
  InputBuffer line_buffer;    // one line of JSON Lines
  InputBuffer window_buffer;  // the window over a streamed document
};

}  // namespace lir
