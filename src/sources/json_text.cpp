#include "sources/json_text.h"

#include <algorithm>
#include <cstring>

namespace lir {

JsonText::JsonText(std::string_view whole) : data_(whole.data()), end_(whole.size()) {}

JsonText::JsonText(ByteSource& source, InputBuffer& window, size_t max_held, size_t piece)
    : data_(window.data()), source_(&source), window_(&window), max_held_(std::max(max_held, piece)),
      piece_(std::max<size_t>(piece, 1)) {
  window.Resize(0);
  data_ = window.data();
}

bool JsonText::Fill(size_t pos) {
  while (pos >= end_) {
    if (source_ == nullptr || failure_) return false;
    // Keep what is still wanted; past `max_held`, keep nothing: the value being scanned is
    // too large to parse anyway, and the scan itself needs no byte behind it.
    size_t keep = std::clamp(keep_from_, base_, end_);
    if (end_ - keep + piece_ > max_held_) keep = end_;
    const size_t held = end_ - keep;
    if (keep > base_) {
      std::memmove(window_->data(), window_->data() + (keep - base_), held);
      base_ = keep;
    }
    if (!window_->TryReserve(held + piece_)) {
      failure_ = Error{ErrorCode::kTooLarge, "cannot allocate the reading window", {}};
      return false;
    }
    window_->Resize(held + piece_);
    auto n = source_->Read(window_->data() + held, piece_);
    window_->Resize(held + (n ? *n : 0));
    data_ = window_->data();
    if (!n) {
      failure_ = n.error();
      return false;
    }
    if (*n == 0) {
      source_ = nullptr;
      return false;
    }
    newlines_read_ += static_cast<uint64_t>(std::count(window_->data() + held, window_->data() + held + *n, '\n'));
    end_ += *n;
    FindNewline();
  }
  return pos < Available();
}

uint64_t JsonText::NewlinesBefore(size_t pos) const {
  const auto after = static_cast<uint64_t>(std::count(data_ + (pos - base_), data_ + (end_ - base_), '\n'));
  if (source_ == nullptr && window_ == nullptr) return static_cast<uint64_t>(std::count(data_, data_ + end_, '\n')) - after;
  return newlines_read_ - after;
}

void JsonText::FindNewline() {
  if (!line_limited_ || newline_) return;
  const size_t from = std::max(newline_scanned_, base_);
  if (const void* nl = from < end_ ? std::memchr(data_ + (from - base_), '\n', end_ - from) : nullptr) {
    newline_ = from + static_cast<size_t>(static_cast<const char*>(nl) - (data_ + (from - base_)));
    limit_ = std::min(limit_, *newline_);
  }
  newline_scanned_ = std::max(newline_scanned_, end_);  // never back before the line's start
}

JsonText::LineLimit::LineLimit(JsonText& text, size_t from) : text_(text), saved_(text.limit_) {
  text.line_limited_ = true;
  text.newline_.reset();
  text.newline_scanned_ = from;
  text.FindNewline();
}

JsonText::LineLimit::~LineLimit() {
  text_.line_limited_ = false;
  text_.limit_ = saved_;
}

}  // namespace lir
