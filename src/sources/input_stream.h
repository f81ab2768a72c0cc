// Inputs handed to the analysis engine's workers one at a time: the files of a local archive,
// or objects fetched from S3 while the scan runs (evidence/s3_trail_source.h). A streamed
// input carries its bytes; one that could not be fetched carries the reason instead, reported
// against it like an unreadable file.
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sources/input_files.h"

namespace lir {

struct StreamedInput {
  InputFile file;                             // path names it; content points into `bytes` when fetched
  std::shared_ptr<const std::string> bytes;   // owns what file.content points to
  std::string error;                          // non-empty: the input could not be had
};

class InputStream {
 public:
  virtual ~InputStream() = default;
  // The next input, blocking until one is ready; nothing once all have been handed out.
  // Called from several threads at once.
  virtual std::optional<StreamedInput> Next() = 0;
};

// A list of inputs, largest first so one huge file does not finish last alone.
class InputListStream : public InputStream {
 public:
  explicit InputListStream(std::vector<InputFile> inputs);
  std::optional<StreamedInput> Next() override;

 private:
  std::vector<InputFile> inputs_;
  std::atomic<size_t> next_{0};
};

// Several streams, drained one after another.
class JoinedInputStream : public InputStream {
 public:
  explicit JoinedInputStream(std::vector<InputStream*> parts) : parts_(std::move(parts)) {}
  std::optional<StreamedInput> Next() override;

 private:
  std::vector<InputStream*> parts_;
  std::atomic<size_t> current_{0};
};

}  // namespace lir
