#include "sources/input_stream.h"

#include <algorithm>

namespace lir {

InputListStream::InputListStream(std::vector<InputFile> inputs) : inputs_(std::move(inputs)) {
  std::stable_sort(inputs_.begin(), inputs_.end(), [](const InputFile& a, const InputFile& b) { return a.size > b.size; });
}

std::optional<StreamedInput> InputListStream::Next() {
  const size_t i = next_++;
  if (i >= inputs_.size()) return std::nullopt;
  return StreamedInput{inputs_[i], nullptr, ""};
}

std::optional<StreamedInput> JoinedInputStream::Next() {
  for (size_t i = current_.load(); i < parts_.size(); i = current_.load()) {
    if (auto input = parts_[i]->Next()) return input;
    // This part is drained: move on (another thread may have done so already).
    current_.compare_exchange_strong(i, i + 1);
  }
  return std::nullopt;
}

}  // namespace lir
