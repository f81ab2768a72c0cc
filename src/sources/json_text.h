// The text of one JSON document for the structure scan (json_extent), addressed by absolute
// byte positions: either a whole buffer, or a window over a ByteSource that slides as the scan
// moves on, so a document of any size is read in bounded memory.
//
// The window keeps the bytes from the last KeepFrom() position (the record being scanned) and
// never more than `max_held`: a value larger than that is scanned to its end, but its bytes are
// gone (Held() says so) and the caller reports it as too large instead of parsing it.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>

#include "core/result.h"
#include "sources/byte_source.h"
#include "sources/input_buffer.h"

namespace lir {

class JsonText {
 public:
  explicit JsonText(std::string_view whole);
  // `window` is reused; its capacity stays with it for the next document.
  JsonText(ByteSource& source, InputBuffer& window, size_t max_held, size_t piece);
  JsonText(const JsonText&) = delete;
  JsonText& operator=(const JsonText&) = delete;

  // Whether the byte at `pos` exists (before the limit), reading on as needed. A position the
  // window has left behind reads as absent, never as memory outside it.
  bool Has(size_t pos) { return pos < Available() ? pos >= base_ : pos < limit_ && Fill(pos); }
  // After Has(pos): the byte, a pointer to it, and how many bytes from it are at hand. The
  // pointer is good until the next Has() that reads on.
  char operator[](size_t pos) const { return data_[pos - base_]; }
  const char* Ptr(size_t pos) const { return data_ + (pos - base_); }
  size_t Ready(size_t pos) const { return Available() - pos; }
  // Where the text ends; meaningful once Has() has said no.
  size_t End() const { return Available(); }

  // Bytes before `pos` are no longer needed (positions only move forward).
  void KeepFrom(size_t pos) { keep_from_ = std::max(keep_from_, pos); }
  bool Held(size_t pos) const { return pos >= base_; }
  std::string_view View(size_t begin, size_t end) const { return {data_ + (begin - base_), end - begin}; }

  // How many '\n' come before `pos` (which must be held): lines are numbered however far
  // behind the window has left them.
  uint64_t NewlinesBefore(size_t pos) const;

  // The source's failure (I/O, corrupt gzip, a size limit), when it ended the text early.
  const std::optional<Error>& failure() const { return failure_; }
  uint64_t bytes_read() const { return end_; }

  // Reads as if the text ended at the first '\n' at or after `from` for as long as it lives
  // (one line of JSON Lines, whose end is not known until it is read); then newline() says
  // where that is, or scanned_to() how far the search went.
  class LineLimit {
   public:
    LineLimit(JsonText& text, size_t from);
    ~LineLimit();
    LineLimit(const LineLimit&) = delete;
    LineLimit& operator=(const LineLimit&) = delete;
    std::optional<size_t> newline() const { return text_.newline_; }
    size_t scanned_to() const { return text_.newline_scanned_; }

   private:
    JsonText& text_;
    size_t saved_;
  };

  // Reads as if the text ended at `end` for as long as it lives.
  class Limit {
   public:
    Limit(JsonText& text, size_t end) : text_(text), saved_(text.limit_) { text.limit_ = std::min(saved_, end); }
    ~Limit() { text_.limit_ = saved_; }
    Limit(const Limit&) = delete;
    Limit& operator=(const Limit&) = delete;

   private:
    JsonText& text_;
    size_t saved_;
  };

 private:
  size_t Available() const { return std::min(end_, limit_); }
  bool Fill(size_t pos);
  void FindNewline();  // under a LineLimit: the bytes read since, searched

  const char* data_ = nullptr;
  size_t base_ = 0;  // position of data_[0]
  size_t end_ = 0;   // one past the last byte read
  size_t keep_from_ = 0;
  size_t limit_ = std::numeric_limits<size_t>::max();
  ByteSource* source_ = nullptr;
  InputBuffer* window_ = nullptr;
  size_t max_held_ = 0;
  size_t piece_ = 0;
  std::optional<Error> failure_;
  uint64_t newlines_read_ = 0;  // in the bytes read from the source
  bool line_limited_ = false;
  size_t newline_scanned_ = 0;
  std::optional<size_t> newline_;
};

}  // namespace lir
