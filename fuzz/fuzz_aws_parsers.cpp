// libFuzzer target: the parsers of what AWS (or whatever answers in its place) and a case
// directory hand back. The first byte picks the parser:
//   0x00  an XML answer (IAM, STS, S3 shapes) to JSON
//   0x01  an AWS config or credentials INI file
//   0x02  SigV4: canonical URI and query of an odd "path?query", then a signed request
//   0x03  credential_process output, through the credential chain
//   0x04  an AWS error answer (status from the next byte) through the error taxonomy, every protocol
//   0x05  a case directory, custody.log and manifest.json (split at the first NUL), through verify
// Built by fuzz/run_fuzz.sh with clang.
#include <stdlib.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>

#include "aws/aws_config.h"
#include "aws/aws_error.h"
#include "aws/credentials.h"
#include "aws/environment.h"
#include "aws/ini_file.h"
#include "aws/sigv4.h"
#include "aws/xml_to_json.h"
#include "evidence/case.h"

namespace {

using namespace lir;

void WriteAll(const std::string& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

const std::string& ScratchDir() {
  static const std::string dir = [] {
    char tmpl[] = "/tmp/lir-fuzz-aws-XXXXXX";
    return std::string(mkdtemp(tmpl));
  }();
  return dir;
}

void Xml(const std::string& text) { (void)aws::XmlToJson(text, {"Roles", "Policies", "member", "Contents"}); }

void Ini(const std::string& text) { (void)aws::ParseIni(text, "fuzz"); }

void SigV4(const std::string& text) {
  const size_t q = text.find('?');
  aws::HttpRequest request;
  request.method = "GET";
  request.path = text.substr(0, q);
  request.query = q == std::string::npos ? "" : text.substr(q + 1);
  request.headers = {{"Host", "lambda.us-east-1.amazonaws.com"}};
  for (bool normalize : {true, false}) (void)aws::CanonicalUri(request.path, normalize, normalize);
  (void)aws::CanonicalQuery(request.query);
  aws::SigningConfig config;
  config.region = "us-east-1";
  config.service = "lambda";
  config.time = 1'795'766'400'000;
  (void)aws::SignWithHeaders(&request, {"AKIDEXAMPLE", "secret", "token"}, config);
}

void CredentialProcess(const std::string& output) {
  const std::string config_path = ScratchDir() + "/config";
  static const bool written = (WriteAll(config_path, "[default]\ncredential_process = fuzz-process --flag\n"), true);
  (void)written;
  aws::MapEnvironment env({{"AWS_CONFIG_FILE", config_path}, {"AWS_SHARED_CREDENTIALS_FILE", "/nonexistent"},
                           {"HOME", "/nonexistent"}});
  auto config = aws::AwsConfig::Load({}, env);
  if (!config) return;
  aws::ChainDependencies deps;
  deps.run_process = [&](const std::vector<std::string>&) -> Result<std::string> { return output; };
  deps.now = [] { return TimestampMs{1'795'766'400'000}; };
  (void)aws::ResolveCredentials(*config, deps);
}

void ErrorAnswer(const std::string& text) {
  aws::HttpResponse response;
  response.status = text.empty() ? 400 : 400 + static_cast<unsigned char>(text[0]) % 200;
  response.body = text.empty() ? "" : text.substr(1);
  response.headers = {{"x-amzn-ErrorType", "AccessDeniedException:http://internal"}, {"x-amzn-RequestId", "r"}};
  for (auto protocol : {aws::Protocol::kRestJson, aws::Protocol::kJson, aws::Protocol::kQuery, aws::Protocol::kRestXml}) {
    const Error error = aws::ParseServiceError(protocol, response);
    (void)aws::RemedyFor(error);
  }
}

void CaseDirectory(const std::string& text) {
  const size_t split = text.find('\0');
  WriteAll(ScratchDir() + "/custody.log", text.substr(0, split));
  WriteAll(ScratchDir() + "/manifest.json", split == std::string::npos ? "" : text.substr(split + 1));
  (void)VerifyCase(ScratchDir());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0]) {
    case 0: Xml(rest); break;
    case 1: Ini(rest); break;
    case 2: SigV4(rest); break;
    case 3: CredentialProcess(rest); break;
    case 4: ErrorAnswer(rest); break;
    case 5: CaseDirectory(rest); break;
    default: break;
  }
  return 0;
}
