// Documents larger than ReaderOptions::whole_document_bytes, read one record at a time: the
// structure scan (json_extent) finds each record, which is then parsed on its own. The
// records and issues are the ones the whole-document path gives; a break in the structure
// (a truncated file) is reported after the records before it have been read.
#include <cstring>

#include <fmt/format.h>

#include "sources/cloudtrail_reader_impl.h"

namespace lir {

using simdjson::dom::element;

namespace {

void NotAnObject(std::string_view file, uint64_t index, RecordSink& sink) {
  sink.OnIssue({IssueKind::kBadRecord, std::string(file), fmt::format("record {}", index),
                "record is not a JSON object"});
}

}  // namespace

bool CloudTrailReader::Impl::ParseSpan(std::string_view file, std::string_view text, JsonSpan span,
                                       const std::string& where, RecordSink& sink, element* out) {
  if (span.size() > options.max_record_bytes) {
    sink.OnIssue({IssueKind::kBadRecord, std::string(file), where,
                  fmt::format("{} bytes, over the {} byte limit for one record", span.size(), options.max_record_bytes)});
    return false;
  }
  record_buffer.Resize(span.size());
  std::memcpy(record_buffer.data(), text.data() + span.begin, span.size());
  const auto error = ParseRepairingUtf8(record_buffer.data(), span.size(), span.begin, file, where, sink, out);
  if (error) {
    sink.OnIssue({IssueKind::kBadRecord, std::string(file), where,
                  fmt::format("invalid JSON: {}", simdjson::error_message(error))});
    return false;
  }
  return true;
}

std::string CloudTrailReader::Impl::KeyOf(std::string_view raw_key) {
  if (raw_key.find('\\') == std::string_view::npos) return std::string(raw_key);
  nested_buffer.Resize(raw_key.size() + 2);
  nested_buffer.data()[0] = '"';
  std::memcpy(nested_buffer.data() + 1, raw_key.data(), raw_key.size());
  nested_buffer.data()[raw_key.size() + 1] = '"';
  std::string_view key;
  if (nested_parser.parse(nested_buffer.data(), raw_key.size() + 2, false).get(key) != simdjson::SUCCESS) return {};
  return std::string(key);
}

Result<size_t> CloudTrailReader::Impl::StreamObject(std::string_view file, std::string_view text, size_t pos,
                                                    RecordSink& sink, bool* streamed) {
  *streamed = false;
  std::optional<JsonSpan> events;
  auto end = ForEachJsonMember(text, pos, [&](std::string_view raw_key, size_t value) -> Result<size_t> {
    if (*streamed) return JsonValueEnd(text, value);  // the first Records wins, as in the parsed document
    const std::string key = KeyOf(raw_key);
    if (key != "Records") {
      const size_t value_end = LIR_TRY(JsonValueEnd(text, value));
      if (key == "Events" && !events) events = JsonSpan{value, value_end};
      return value_end;
    }
    *streamed = true;
    if (text[value] != '[') {
      sink.OnIssue({IssueKind::kBadFile, std::string(file), "", "\"Records\" is not an array"});
      return JsonValueEnd(text, value);
    }
    // Streamed as it is scanned: a truncated file still gives the records before the break.
    return ForEachJsonElement(text, value, [&](uint64_t index, JsonSpan span) {
      if (text[span.begin] != '{') return NotAnObject(file, index, sink);
      element record;
      if (ParseSpan(file, text, span, fmt::format("record {}", index), sink, &record)) {
        EmitRecord(file, record, index, sink);
      }
    });
  });
  if (!end || *streamed || !events) return end;
  *streamed = true;
  if (text[events->begin] != '[') {
    sink.OnIssue({IssueKind::kBadFile, std::string(file), "", "\"Events\" is not an array"});
    return end;
  }
  LIR_CHECK(ForEachJsonElement(text.substr(0, events->end), events->begin, [&](uint64_t index, JsonSpan span) {
    element event;
    if (ParseSpan(file, text, span, fmt::format("event {}", index), sink, &event)) {
      EmitLookupEvent(file, event, index, sink);
    }
  }));
  return end;
}

void CloudTrailReader::Impl::StreamItem(std::string_view file, std::string_view text, JsonSpan span, uint64_t index,
                                        RecordSink& sink, int depth) {
  if (text[span.begin] != '{') return NotAnObject(file, index, sink);
  if (depth == 0 && span.size() > options.whole_document_bytes) {
    // Maybe a whole Records or Events document inside the array.
    bool streamed = false;
    const auto end = StreamObject(file, text.substr(0, span.end), span.begin, sink, &streamed);
    if (!end) {
      sink.OnIssue({IssueKind::kBadRecord, std::string(file), fmt::format("record {}", index), end.error().message});
      return;
    }
    if (streamed) return;
  }
  element item;
  if (ParseSpan(file, text, span, fmt::format("record {}", index), sink, &item)) {
    DispatchItem(file, item, index, sink, depth);
  }
}

std::optional<size_t> CloudTrailReader::Impl::StreamValue(std::string_view file, std::string_view text, size_t pos,
                                                          uint64_t base_index, RecordSink& sink, int depth,
                                                          const std::string& where) {
  const IssueKind broken = where.empty() ? IssueKind::kBadFile : IssueKind::kBadRecord;
  const char first = pos < text.size() ? text[pos] : '\0';
  Result<size_t> end;
  if (first == '[') {
    end = ForEachJsonElement(text, pos, [&](uint64_t index, JsonSpan span) {
      StreamItem(file, text, span, base_index + index, sink, depth);
    });
  } else if (first == '{') {
    bool streamed = false;
    end = StreamObject(file, text, pos, sink, &streamed);
    element doc;
    if (end && !streamed && ParseSpan(file, text, JsonSpan{pos, *end}, where, sink, &doc)) {
      Dispatch(file, doc, base_index, sink, depth);
    }
  } else {
    sink.OnIssue({broken, std::string(file), where,
                  fmt::format("not a CloudTrail document: byte {} starts neither an object nor an array", pos)});
    return std::nullopt;
  }
  if (!end) {
    sink.OnIssue({broken, std::string(file), where, end.error().message});
    return std::nullopt;
  }
  return *end;
}

void CloudTrailReader::Impl::ReadLarge(std::string_view file, InputBuffer& buffer, RecordSink& sink) {
  const std::string_view text(buffer.data(), buffer.size());
  const size_t pos = SkipJsonSpace(text, 0);
  // JSON Lines when the first line holds a whole value and more lines follow. Only the first
  // line is scanned: a pretty-printed document fails on its "{" line at once.
  const void* newline = pos < text.size() ? std::memchr(text.data() + pos, '\n', text.size() - pos) : nullptr;
  if (newline != nullptr && (text[pos] == '{' || text[pos] == '[')) {
    const std::string_view first_line = text.substr(0, static_cast<const char*>(newline) - text.data());
    const auto first_end = JsonValueEnd(first_line, pos);
    if (first_end && SkipJsonSpace(first_line, *first_end) == first_line.size() &&
        SkipJsonSpace(text, first_line.size()) < text.size()) {
      ReadJsonLines(file, buffer, sink);
      return;
    }
  }
  const auto end = StreamValue(file, text, pos, 0, sink, 0, "");
  if (!end) return;
  const size_t rest = SkipJsonSpace(text, *end);
  if (rest < text.size()) {
    sink.OnIssue({IssueKind::kBadFile, std::string(file), "",
                  fmt::format("invalid JSON at byte {}: content after the end of the document", rest)});
  }
}

}  // namespace lir
