// Documents larger than ReaderOptions::whole_document_bytes, read one record at a time: the
// structure scan (json_extent) finds each record, which is then parsed on its own. The text
// is a window that moves forward only (json_text.h), so a document of any size, streamed
// from a file or inflated from gzip as it is read, takes no more memory than its largest
// record. The records and issues are the ones the whole-document path gives; a break in the
// structure (a truncated file) is reported after the records before it have been read.
#include <algorithm>
#include <cstring>
#include <limits>

#include <fmt/format.h>

#include "sources/cloudtrail_reader_impl.h"

namespace lir {

using simdjson::dom::element;

namespace {

void NotAnObject(std::string_view file, uint64_t index, RecordSink& sink) {
  sink.OnIssue({IssueKind::kBadRecord, std::string(file), fmt::format("record {}", index),
                "record is not a JSON object"});
}

// Spaces and tabs on the current line (not its newline).
size_t SkipLineSpace(JsonText& text, size_t pos) {
  while (text.Has(pos) && (text[pos] == ' ' || text[pos] == '\t' || text[pos] == '\r')) ++pos;
  return pos;
}

// The next '\n' at or after `pos` within `bound` bytes, else the end of the text (when it comes
// first) or nothing.
std::optional<size_t> LineEnd(JsonText& text, size_t pos, size_t bound) {
  size_t i = pos;
  while (i - pos < bound && text.Has(i)) {
    const size_t n = std::min(text.Ready(i), bound - (i - pos));
    if (const void* nl = std::memchr(text.Ptr(i), '\n', n)) return i + static_cast<size_t>(static_cast<const char*>(nl) - text.Ptr(i));
    i += n;
  }
  if (!text.Has(i)) return i;
  return std::nullopt;
}

}  // namespace

size_t CloudTrailReader::Impl::WindowBytes() const {
  // One record, or the first line looked at to tell JSON Lines, and a piece read ahead.
  return std::max(options.max_record_bytes, options.whole_document_bytes) + (64 << 10) + options.stream_piece_bytes;
}

bool CloudTrailReader::Impl::ReportFailure(std::string_view file, const JsonText& text, RecordSink& sink) {
  if (!text.failure()) return false;
  sink.OnIssue({IssueKind::kBadFile, std::string(file), "", text.failure()->message});
  return true;
}

bool CloudTrailReader::Impl::ParseSpan(std::string_view file, JsonText& text, JsonSpan span, const std::string& where,
                                       RecordSink& sink, element* out) {
  if (span.size() > options.max_record_bytes || !text.Held(span.begin)) {
    sink.OnIssue({IssueKind::kBadRecord, std::string(file), where,
                  fmt::format("{} bytes, over the {} byte limit for one record", span.size(), options.max_record_bytes)});
    return false;
  }
  record_buffer.Resize(span.size());
  std::memcpy(record_buffer.data(), text.Ptr(span.begin), span.size());
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

Result<size_t> CloudTrailReader::Impl::StreamObject(std::string_view file, JsonText& text, size_t pos,
                                                    RecordSink& sink, bool* streamed) {
  *streamed = false;
  return ForEachJsonMember(text, pos, [&](std::string_view raw_key, size_t value) -> Result<size_t> {
    if (*streamed) return JsonValueEnd(text, value);  // the first array wins, as in the parsed document
    const std::string key = KeyOf(raw_key);
    const bool records = key == "Records";
    if (!records && key != "Events") return JsonValueEnd(text, value);
    *streamed = true;
    if (text[value] != '[') {
      sink.OnIssue({IssueKind::kBadFile, std::string(file), "", fmt::format("\"{}\" is not an array", key)});
      return JsonValueEnd(text, value);
    }
    // Streamed as it is scanned: a truncated file still gives the records before the break.
    return ForEachJsonElement(text, value, [&](uint64_t index, size_t at) -> Result<size_t> {
      text.KeepFrom(at);
      const char first = text[at];
      const size_t end = LIR_TRY(JsonValueEnd(text, at));
      if (records && first != '{') {
        NotAnObject(file, index, sink);
        return end;
      }
      element item;
      if (ParseSpan(file, text, {at, end}, fmt::format("{} {}", records ? "record" : "event", index), sink, &item)) {
        if (records) {
          EmitRecord(file, item, index, sink);
        } else {
          EmitLookupEvent(file, item, index, sink);
        }
      }
      return end;
    });
  });
}

Result<size_t> CloudTrailReader::Impl::StreamItem(std::string_view file, JsonText& text, size_t pos, uint64_t index,
                                                  RecordSink& sink) {
  text.KeepFrom(pos);
  if (text[pos] != '{') {
    const size_t end = LIR_TRY(JsonValueEnd(text, pos));
    NotAnObject(file, index, sink);
    return end;
  }
  // Maybe a whole Records or Events document inside the array: streamed if so.
  bool streamed = false;
  const size_t end = LIR_TRY(StreamObject(file, text, pos, sink, &streamed));
  element item;
  if (!streamed && ParseSpan(file, text, {pos, end}, fmt::format("record {}", index), sink, &item)) {
    DispatchItem(file, item, index, sink, 0);
  }
  return end;
}

std::optional<size_t> CloudTrailReader::Impl::StreamValue(std::string_view file, JsonText& text, size_t pos,
                                                          uint64_t base_index, RecordSink& sink,
                                                          const std::string& where) {
  const IssueKind broken = where.empty() ? IssueKind::kBadFile : IssueKind::kBadRecord;
  const char first = text.Has(pos) ? text[pos] : '\0';
  Result<size_t> end;
  if (first == '[') {
    end = ForEachJsonElement(text, pos, [&](uint64_t index, size_t at) {
      return StreamItem(file, text, at, base_index + index, sink);
    });
  } else if (first == '{') {
    text.KeepFrom(pos);
    bool streamed = false;
    end = StreamObject(file, text, pos, sink, &streamed);
    element doc;
    if (end && !streamed && ParseSpan(file, text, JsonSpan{pos, *end}, where, sink, &doc)) {
      Dispatch(file, doc, base_index, sink, 0);
    }
  } else {
    sink.OnIssue({broken, std::string(file), where,
                  fmt::format("not a CloudTrail document: byte {} starts neither an object nor an array", pos)});
    return std::nullopt;
  }
  if (!end) {
    if (!text.failure()) sink.OnIssue({broken, std::string(file), where, end.error().message});
    return std::nullopt;
  }
  return *end;
}

void CloudTrailReader::Impl::ReadJsonLines(std::string_view file, JsonText& text, RecordSink& sink, size_t start,
                                           uint64_t lines_before) {
  uint64_t line = lines_before;
  while (text.Has(start)) {
    ++line;
    text.KeepFrom(start);
    const std::string where = fmt::format("line {}", line);
    const auto end = LineEnd(text, start, options.whole_document_bytes + 1);
    if (end && *end - start <= options.whole_document_bytes) {
      const size_t len = *end - start;
      if (!IsBlank(text.Ptr(start), len)) {
        // simdjson needs zeroed padding past the end, so each line goes through a small
        // reusable buffer.
        line_buffer.Resize(len);
        std::memcpy(line_buffer.data(), text.Ptr(start), len);
        element doc;
        const auto error = Parse(parser, line_buffer.data(), len, file, where, &sink, &doc);
        if (error) {
          if (!text.Has(*end) && text.failure()) break;  // the source broke inside this line
          sink.OnIssue({IssueKind::kBadRecord, std::string(file), where,
                        fmt::format("invalid JSON: {}", simdjson::error_message(error))});
        } else {
          Dispatch(file, doc, line, sink, 0);
        }
      }
      start = *end + 1;
      continue;
    }
    // A line too long to hold: its value read record by record.
    const size_t pos = SkipLineSpace(text, start);
    if (!text.Has(pos)) break;
    if (text[pos] == '\n') {  // blank after all
      start = pos + 1;
      continue;
    }
    size_t line_end = 0;
    {
      const JsonText::LineLimit this_line(text, pos);
      const auto value_end = StreamValue(file, text, pos, line, sink, where);
      if (value_end && text.Has(SkipLineSpace(text, *value_end))) {
        sink.OnIssue({IssueKind::kBadRecord, std::string(file), where, "invalid JSON: content after the value"});
      }
      // Where the line ends, if the scan did not get there (the value broke, or ended early).
      line_end = this_line.newline() ? *this_line.newline() : this_line.scanned_to();
    }
    if (text.Has(line_end) && text[line_end] != '\n') {
      line_end = LineEnd(text, line_end, std::numeric_limits<size_t>::max()).value_or(text.End());
    }
    start = line_end + 1;
  }
  ReportFailure(file, text, sink);
}

void CloudTrailReader::Impl::ReadLarge(std::string_view file, JsonText& text, RecordSink& sink) {
  // Leading blank lines are let go (however many), but counted: JSON Lines numbers its lines.
  size_t pos = 0;
  uint64_t blank_lines = 0;
  for (; text.Has(pos) && IsJsonSpace(text[pos]); ++pos) {
    if (text[pos] == '\n') ++blank_lines;
    text.KeepFrom(pos);
  }
  text.KeepFrom(pos);
  if (!text.Has(pos)) {
    if (!ReportFailure(file, text, sink)) sink.OnIssue({IssueKind::kSkipped, std::string(file), "", "empty input"});
    return;
  }
  // JSON Lines when the first line holds a whole value and more lines follow. Only the first
  // line is scanned: a pretty-printed document fails on its "{" line at once.
  {
    const auto first_line_end = LineEnd(text, pos, std::max(options.max_record_bytes, options.whole_document_bytes));
    if (first_line_end && text.Has(*first_line_end)) {
      bool whole_value = false;
      {
        const JsonText::Limit first_line(text, *first_line_end);
        const auto first_end = JsonValueEnd(text, pos);
        whole_value = first_end && !text.Has(SkipJsonSpace(text, *first_end));
      }
      bool more = false;
      {
        const JsonText::Limit look_ahead(text, *first_line_end + (64 << 10));
        more = text.Has(SkipJsonSpace(text, *first_line_end));
      }
      if (whole_value && more) {
        ReadJsonLines(file, text, sink, pos, blank_lines);
        return;
      }
    }
  }
  const auto end = StreamValue(file, text, pos, 0, sink, "");
  if (end) {
    // More after the document, on a later line: documents one per line whose first line was
    // too long to look at first (`zcat` of trail files). The rest is read as JSON Lines.
    size_t rest = *end;
    bool newline = false;
    for (; text.Has(rest) && IsJsonSpace(text[rest]); ++rest) {
      newline |= text[rest] == '\n';
      text.KeepFrom(rest);
    }
    if (text.Has(rest) && newline) {
      ReadJsonLines(file, text, sink, rest, text.NewlinesBefore(rest));
      return;
    }
    if (text.Has(rest)) {
      sink.OnIssue({IssueKind::kBadFile, std::string(file), "",
                    fmt::format("invalid JSON at byte {}: content after the end of the document", rest)});
    }
  }
  ReportFailure(file, text, sink);
}

}  // namespace lir
