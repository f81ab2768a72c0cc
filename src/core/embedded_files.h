#pragma once

#include <string_view>
#include <vector>

namespace lir {

struct EmbeddedFile {
  const char* path;  // relative to the embedded directory, '/'-separated
  std::string_view content;
};

// The rules/ tree, compiled into the binary (see cmake/embed_files.cmake).
const std::vector<EmbeddedFile>& lir_embedded_rules();
// The yara/ tree (bundled YARA rules with their licences).
const std::vector<EmbeddedFile>& lir_embedded_yara();
// The sigma/ tree (SigmaHQ CloudTrail rules with their licence).
const std::vector<EmbeddedFile>& lir_embedded_sigma();
// The data/aws tree (the shapes of AWS answers, from botocore's models).
const std::vector<EmbeddedFile>& lir_embedded_aws_data();

}  // namespace lir
