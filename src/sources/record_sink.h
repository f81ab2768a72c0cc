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

struct RecordRef {
  const simdjson::dom::element& element;
  std::string_view file;
  uint64_t index;  // record index in the file (line number for JSON Lines)
};

class RecordSink {
 public:
  virtual ~RecordSink() = default;
  virtual void OnFile(std::string_view path, uint64_t decoded_bytes) {}
  virtual void OnRecord(const RecordRef& record) = 0;
  virtual void OnIssue(ReadIssue issue) = 0;
};

}  // namespace lir
