// How readers hand records to their consumer: one callback per record, one per problem.
// Readers never stop a scan for a bad record or file; they report it and go on.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace simdjson::dom {
class element;
}

namespace lir {

enum class IssueKind {
  kBadFile,    // the file as a whole could not be read (I/O, gzip, JSON, limits)
  kBadRecord,  // one record was skipped
  kWarning,    // read, with a repair or an oddity worth knowing (invalid UTF-8 replaced)
  kSkipped,    // deliberately not read (digest file, empty input)
};

struct ReadIssue {
  IssueKind kind;
  std::string file;
  std::string position;  // "record 12", "line 7", "byte 4096"; empty for the whole file
  std::string message;
};

struct EventView;

// Parses one record's own bytes into a DOM when a consumer asks for it (the reader's parser:
// the DOM lives until the next record is parsed).
class RecordDom {
 public:
  virtual ~RecordDom() = default;
  virtual const simdjson::dom::element& Parse(std::string_view text) = 0;
};

// One record handed to a sink: parsed with its document, or read by the skim (its common
// fields already read, its DOM parsed only when asked for).
class RecordRef {
 public:
  RecordRef(const simdjson::dom::element& element, std::string_view file, uint64_t index)
      : file(file), index(index), element_(&element) {}
  // `view` null: the record holds escapes and its view is read from its DOM. `why`: why the
  // view is not an event (null when it is).
  RecordRef(const EventView* view, const char* why, std::string_view text, RecordDom* dom, std::string_view file,
            uint64_t index)
      : file(file), index(index), view_(view), why_(why), text_(text), dom_(dom) {}

  const simdjson::dom::element& Element() const;
  // The record's common fields: the skim's, or `scratch` read from its DOM. Null (with the
  // reason) when the record is not an event. Valid while the record is being handed over:
  // the next record's DOM may take the place of this one's.
  const EventView* View(EventView* scratch, std::string* why) const;

  std::string_view file;
  uint64_t index;  // record index in the file (line number for JSON Lines)

 private:
  mutable const simdjson::dom::element* element_ = nullptr;
  const EventView* view_ = nullptr;
  const char* why_ = nullptr;
  std::string_view text_;
  RecordDom* dom_ = nullptr;
};

class RecordSink {
 public:
  virtual ~RecordSink() = default;
  virtual void OnFile(std::string_view path, uint64_t decoded_bytes) {}
  virtual void OnRecord(const RecordRef& record) = 0;
  virtual void OnIssue(ReadIssue issue) = 0;
};

}  // namespace lir
