#include "sources/cloudtrail_reader.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <fmt/format.h>

#include "sources/cloudtrail_reader_impl.h"
#include "sources/input_files.h"
#include "sources/number_repair.h"

namespace lir {

static_assert(kParsePadding >= simdjson::SIMDJSON_PADDING);

using simdjson::dom::element;
using simdjson::dom::element_type;

size_t RepairUtf8(char* data, size_t size) {
  size_t first_bad = std::string::npos;
  size_t i = 0;
  auto* u = reinterpret_cast<unsigned char*>(data);
  while (i < size) {
    const unsigned char c = u[i];
    size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
    bool ok = len != 0 && i + len <= size;
    for (size_t k = 1; ok && k < len; ++k) ok = (u[i + k] & 0xc0) == 0x80;
    if (ok && len > 1) ok = simdjson::validate_utf8(data + i, len);  // overlongs, surrogates
    if (!ok) {
      if (first_bad == std::string::npos) first_bad = i;
      u[i] = '?';
      ++i;
      continue;
    }
    i += len;
  }
  return first_bad;
}

bool IsBlank(const char* data, size_t size) {
  for (size_t i = 0; i < size; ++i) {
    if (!std::isspace(static_cast<unsigned char>(data[i]))) return false;
  }
  return true;
}

simdjson::error_code CloudTrailReader::Impl::Parse(simdjson::dom::parser& p, char* data, size_t size, std::string_view file,
                                                  const std::string& where, RecordSink* sink, element* doc) {
  const auto error = p.parse(data, size, false).get(*doc);
  if (error != simdjson::NUMBER_ERROR) return error;
  const NumberRepair repair = QuoteUnrepresentableNumbers(data, size, &number_buffer);
  if (repair.quoted == 0) return error;
  const auto again = p.parse(number_buffer.data(), number_buffer.size(), false).get(*doc);
  if (!again && sink != nullptr) {
    sink->OnIssue({IssueKind::kWarning, std::string(file), where,
                   fmt::format("{} number{} too large to hold kept as text (the first at byte {})", repair.quoted,
                               repair.quoted == 1 ? "" : "s", repair.first_at)});
  }
  return again;
}

simdjson::error_code CloudTrailReader::Impl::ParseRepairingUtf8(char* data, size_t size, size_t offset,
                                                                std::string_view file, const std::string& where,
                                                                RecordSink& sink, element* doc) {
  const auto error = Parse(parser, data, size, file, where, &sink, doc);
  if (error != simdjson::UTF8_ERROR) return error;
  // The parser validates UTF-8 as it goes; repair only when it objects, then parse again.
  const size_t at = RepairUtf8(data, size);
  sink.OnIssue({IssueKind::kWarning, std::string(file), fmt::format("byte {}", offset + at),
                "invalid UTF-8 replaced with '?'"});
  return Parse(parser, data, size, file, where, &sink, doc);
}

bool CloudTrailReader::Impl::FirstLineIsDocument(const InputBuffer& buffer) {
  const char* data = buffer.data();
  size_t start = 0;
  while (start < buffer.size()) {
    const char* nl = static_cast<const char*>(std::memchr(data + start, '\n', buffer.size() - start));
    const size_t end = nl ? static_cast<size_t>(nl - data) : buffer.size();
    if (!IsBlank(data + start, end - start)) {
      if (nl == nullptr) return false;  // a single line that failed as a whole document
      nested_buffer.Resize(end - start);
      std::memcpy(nested_buffer.data(), data + start, end - start);
      element doc;
      return Parse(nested_parser, nested_buffer.data(), end - start, "", "", nullptr, &doc) == simdjson::SUCCESS;
    }
    start = end + 1;
  }
  return false;
}

CloudTrailReader::CloudTrailReader(ReaderOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = options;
}
CloudTrailReader::~CloudTrailReader() = default;

const element& CloudTrailReader::Impl::RecordParser::Parse(std::string_view text) {
  const auto error = parser.parse(text.data(), text.size(), false).get(element);
  if (error != simdjson::SUCCESS) {
    // The skim checked every record it hands out, so only memory can fail here: rules must
    // never run on a record that is not there.
    (void)std::fprintf(stderr, "lambda-ir: internal error: a checked record did not parse (%s)\n", simdjson::error_message(error));
    std::abort();
  }
  return element;
}

bool CloudTrailReader::Impl::ReadSkimmed(std::string_view file, InputBuffer& buffer, RecordSink& sink) {
  if (!skim.Skim(buffer.data(), buffer.size(), parser, record_dom.parser)) return false;
  size_t next_view = 0;
  for (uint64_t i = 0; i < skim.records().size(); ++i) {
    const SkimmedRecord& r = skim.records()[i];
    if (r.kind == SkimmedRecord::Kind::kNotObject) {
      sink.OnIssue({IssueKind::kBadRecord, std::string(file), fmt::format("record {}", i), "record is not a JSON object"});
      continue;
    }
    const EventView* view = r.kind == SkimmedRecord::Kind::kView ? &skim.views()[next_view++] : nullptr;
    sink.OnRecord(RecordRef(view, r.why, std::string_view(buffer.data() + r.begin, r.end - r.begin), &record_dom, file, i));
  }
  return true;
}

void CloudTrailReader::Impl::EmitRecord(std::string_view file, const element& record,
                                        uint64_t index, RecordSink& sink) {
  if (!record.is_object()) {
    sink.OnIssue({IssueKind::kBadRecord, std::string(file), fmt::format("record {}", index),
                  "record is not a JSON object"});
    return;
  }
  sink.OnRecord(RecordRef(record, file, index));
}

void CloudTrailReader::Impl::EmitLookupEvent(std::string_view file, const element& event,
                                             uint64_t index, RecordSink& sink) {
  std::string_view text;
  if (event["CloudTrailEvent"].get(text) != simdjson::SUCCESS) {
    sink.OnIssue({IssueKind::kBadRecord, std::string(file), fmt::format("event {}", index),
                  "LookupEvents entry has no CloudTrailEvent string"});
    return;
  }
  nested_buffer.Resize(text.size());
  std::memcpy(nested_buffer.data(), text.data(), text.size());
  element record;
  const auto error = Parse(nested_parser, nested_buffer.data(), text.size(), file, fmt::format("event {}", index), &sink, &record);
  if (error) {
    sink.OnIssue({IssueKind::kBadRecord, std::string(file), fmt::format("event {}", index),
                  fmt::format("CloudTrailEvent is not valid JSON: {}", simdjson::error_message(error))});
    return;
  }
  EmitRecord(file, record, index, sink);
}

void CloudTrailReader::Impl::DispatchItem(std::string_view file, const element& item, uint64_t index,
                                          RecordSink& sink, int depth) {
  if (depth == 0 && item.is_object() &&
      (item["Records"].error() == simdjson::SUCCESS || item["Events"].error() == simdjson::SUCCESS)) {
    Dispatch(file, item, 0, sink, depth + 1);
  } else if (item.is_object() && item["CloudTrailEvent"].error() == simdjson::SUCCESS) {
    EmitLookupEvent(file, item, index, sink);
  } else {
    EmitRecord(file, item, index, sink);
  }
}

void CloudTrailReader::Impl::Dispatch(std::string_view file, const element& doc,
                                      uint64_t base_index, RecordSink& sink, int depth) {
  if (doc.is_array()) {
    uint64_t i = 0;
    for (element item : ArrayOf(doc)) DispatchItem(file, item, base_index + i++, sink, depth);
    return;
  }
  if (!doc.is_object()) {
    sink.OnIssue({IssueKind::kBadFile, std::string(file), "",
                  "not a CloudTrail document (neither an object nor an array)"});
    return;
  }
  // The first Records or Events array is the document's (the record-by-record path, which
  // cannot look ahead, reads the same one).
  for (const auto member : ObjectOf(doc)) {
    const bool is_records = member.key == "Records";
    if (!is_records && member.key != "Events") continue;
    if (!member.value.is_array()) {
      sink.OnIssue({IssueKind::kBadFile, std::string(file), "", fmt::format("\"{}\" is not an array", member.key)});
      return;
    }
    uint64_t i = 0;
    for (element item : ArrayOf(member.value)) {
      if (is_records) {
        EmitRecord(file, item, i++, sink);
      } else {
        EmitLookupEvent(file, item, i++, sink);
      }
    }
    return;
  }
  if (doc["digestPublicKeyFingerprint"].error() == simdjson::SUCCESS) {
    sink.OnIssue({IssueKind::kSkipped, std::string(file), "", "CloudTrail digest file, not events"});
    return;
  }
  if (doc["eventName"].error() == simdjson::SUCCESS || doc["eventTime"].error() == simdjson::SUCCESS) {
    EmitRecord(file, doc, base_index, sink);
    return;
  }
  sink.OnIssue({IssueKind::kBadRecord, std::string(file), fmt::format("record {}", base_index),
                "object is neither a CloudTrail record nor a Records/Events document"});
}

void CloudTrailReader::ReadBuffer(std::string_view name, InputBuffer& buffer, RecordSink& sink) {
  sink.OnFile(name, buffer.size());
  if (IsBlank(buffer.data(), buffer.size())) {
    sink.OnIssue({IssueKind::kSkipped, std::string(name), "", "empty input"});
    return;
  }
  if (buffer.size() > impl_->options.whole_document_bytes) {
    JsonText text(std::string_view(buffer.data(), buffer.size()));
    impl_->ReadLarge(name, text, sink);
    return;
  }
  if (impl_->options.skim && impl_->ReadSkimmed(name, buffer, sink)) return;
  element doc;
  const std::string file(name);
  const auto error = impl_->ParseRepairingUtf8(buffer.data(), buffer.size(), 0, file, "", sink, &doc);
  if (!error) {
    impl_->Dispatch(name, doc, 0, sink, 0);
    return;
  }
  // Not one document. JSON Lines if the first non-blank line is a complete value on its
  // own; otherwise the file is broken as a whole (a truncated pretty-printed file must not
  // turn into a thousand per-line errors).
  if (impl_->FirstLineIsDocument(buffer)) {
    JsonText text(std::string_view(buffer.data(), buffer.size()));
    impl_->ReadJsonLines(name, text, sink);
    return;
  }
  sink.OnIssue({IssueKind::kBadFile, std::string(name), "",
                fmt::format("invalid JSON: {}", simdjson::error_message(error))});
}

void CloudTrailReader::ReadFile(const std::string& path, RecordSink& sink) {
  const std::string name = path == "-" ? "<stdin>" : path;
  auto opened = OpenInput(path, impl_->options.max_decoded_bytes, impl_->options.whole_document_bytes,
                          &impl_->file_buffer, &impl_->scratch_buffer);
  if (!opened) {
    sink.OnIssue({IssueKind::kBadFile, name, "", opened.error().message});
    return;
  }
  if (*opened != nullptr) {
    ReadStream(name, **opened, sink);
    return;
  }
  ReadBuffer(name, impl_->file_buffer, sink);
}

void CloudTrailReader::ReadStream(std::string_view name, ByteSource& source, RecordSink& sink) {
  JsonText text(source, impl_->window_buffer, impl_->WindowBytes(), impl_->options.stream_piece_bytes);
  impl_->ReadLarge(name, text, sink);
  sink.OnFile(name, text.bytes_read());
}

size_t CloudTrailReader::HeldBytes() const {
  size_t held = 0;
  for (const InputBuffer* b : {&impl_->nested_buffer, &impl_->file_buffer, &impl_->scratch_buffer, &impl_->number_buffer,
                               &impl_->record_buffer, &impl_->line_buffer, &impl_->window_buffer}) {
    held += b->capacity();
  }
  return held + impl_->skim.HeldBytes();
}

}  // namespace lir
