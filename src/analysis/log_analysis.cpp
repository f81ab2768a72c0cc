#include "analysis/log_analysis.h"
#include "core/file_read.h"
#include "core/json_util.h"

#include <algorithm>
#include <fstream>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <re2/re2.h>

#include "analysis/url_scan.h"
#include "core/strings.h"

namespace lir {
namespace {

double NumberAfter(const std::string& text, const std::string& label) {
  const size_t at = text.find(label);
  if (at == std::string::npos) return -1;
  // strtod, not atof: no number after the label is 0, as before, but never undefined.
  return std::strtod(text.c_str() + at + label.size(), nullptr);
}

// Hosts the function legitimately talks to are still listed, but AWS endpoints are not
// outbound indicators by themselves.
bool IsAwsHost(const std::string& host) {
  return host.size() > 14 && (host.compare(host.size() - 14, 14, ".amazonaws.com") == 0);
}

// A host worth counting as outbound: a dotted name ending in letters, or an IPv4 address
// (not "localhost" or a bare service name).
bool IsInternetHost(const std::string& host) {
  const size_t dot = host.rfind('.');
  if (dot == std::string::npos || dot + 1 >= host.size()) return false;
  const std::string_view tld(host.data() + dot + 1, host.size() - dot - 1);
  const bool letters = tld.size() >= 2 && std::all_of(tld.begin(), tld.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); });
  return letters || FirstIpv4(host) == host;
}

Finding Base(const std::string& arn, const char* rule, Severity severity, std::string title, std::string description,
             std::string remediation, const LogLine& first) {
  Finding f = EvidenceFinding(rule, severity, std::move(title), std::move(description), std::move(remediation), arn,
                              "(function output)", "log", first.reference, first.time);
  f.event_ids.clear();  // the caller lists every supporting line
  return f;
}

}  // namespace

LogAnalysis AnalyzeLogLines(const std::string& arn, const std::vector<LogLine>& lines) {
  LogAnalysis out;
  LogSummary& s = out.summary;
  // RE2: linear in the line, no recursion; a log line is the attacker's (up to 256 KB).
  static const RE2 kCredential(
      "AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN|/proc/self/environ|169\\.254\\.169\\.254|169\\.254\\.170\\.2|"
      "AWS_CONTAINER_CREDENTIALS|(?:AKIA|ASIA)[0-9A-Z]{16}");
  std::vector<const LogLine*> timeouts, errors, credential, outbound, extension_lines;
  std::set<std::string> extensions;
  for (const LogLine& line : lines) {
    ++s.lines;
    const std::string& m = line.message;
    if (m.rfind("REPORT RequestId:", 0) == 0) {
      ++s.invocations;
      s.max_duration_ms = std::max(s.max_duration_ms, NumberAfter(m, "\tDuration: "));
      s.max_memory_used_mb = std::max(s.max_memory_used_mb, NumberAfter(m, "Max Memory Used: "));
      s.memory_size_mb = std::max(s.memory_size_mb, NumberAfter(m, "Memory Size: "));
      if (m.find("Init Duration:") != std::string::npos) ++s.cold_starts;
      continue;
    }
    if (m.rfind("START RequestId:", 0) == 0 || m.rfind("END RequestId:", 0) == 0 || m.rfind("INIT_START", 0) == 0) continue;
    if (m.rfind("EXTENSION", 0) == 0) {
      const size_t at = m.find("Name: ");
      if (at != std::string::npos) {
        const size_t end = m.find_first_of("\t ", at + 6);
        extensions.insert(m.substr(at + 6, end == std::string::npos ? std::string::npos : end - at - 6));
      }
      extension_lines.push_back(&line);
      continue;
    }
    if (m.find("Task timed out after") != std::string::npos) {
      ++s.timeouts;
      timeouts.push_back(&line);
    }
    if (m.find("[ERROR]") != std::string::npos || m.find("Runtime.") != std::string::npos ||
        m.find("\"errorType\"") != std::string::npos) {
      ++s.errors;
      errors.push_back(&line);
    }
    if (RE2::PartialMatch(re2::StringPiece(m.data(), m.size()), kCredential)) credential.push_back(&line);
    bool outbound_line = false;
    for (const UrlMatch& url : FindUrls(m)) {
      if (!IsInternetHost(url.host) || IsAwsHost(url.host)) continue;
      ++s.hosts[url.Origin()];
      outbound_line = true;
    }
    for (const std::string& ip_port : FindIpPorts(m)) {
      if (ip_port.rfind("169.254.", 0) == 0 || ip_port.rfind("127.", 0) == 0) continue;
      ++s.hosts[ip_port];
      outbound_line = true;
    }
    if (outbound_line) outbound.push_back(&line);
  }
  s.extensions.assign(extensions.begin(), extensions.end());

  // Every supporting line, as an event id (its reference) and as a location in the case.
  auto SetLines = [](Finding* f, const std::vector<const LogLine*>& v) {
    f->event_ids.clear();
    f->locations.clear();
    for (const LogLine* l : v) {
      f->event_ids.push_back(l->reference);
      f->locations.push_back(LocationOf(l->reference));
    }
  };
  if (!credential.empty()) {
    Finding f = Base(arn, "lambda_logs_credential_access", Severity::kHigh,
                     fmt::format("{} log line(s) touch the function's credentials", credential.size()),
                     "The function's output mentions its credential environment variables, /proc/self/environ, the "
                     "instance or container credential endpoints, or an access key id: code reading or printing the "
                     "role's credentials (the lines are in the case; not shown here).",
                     "Treat the role's credentials as stolen: revoke its sessions and contain the function.", *credential.front());
    SetLines(&f, credential);
    out.findings.push_back(std::move(f));
  }
  if (!outbound.empty()) {
    std::vector<std::string> hosts;
    for (const auto& [h, n] : s.hosts) hosts.push_back(fmt::format("{} ({})", h, n));
    Finding f = Base(arn, "lambda_logs_outbound_indicator", Severity::kMedium,
                     fmt::format("Function output names {} outbound address(es)", s.hosts.size()),
                     fmt::format("Addresses outside AWS in the function's output: {}.", fmt::join(hosts, ", ")),
                     "Check each against the services the function should call; block the rest with VPC egress rules.",
                     *outbound.front());
    SetLines(&f, outbound);
    out.findings.push_back(std::move(f));
  }
  if (!extension_lines.empty()) {
    Finding f = Base(arn, "lambda_logs_extension_registered", Severity::kMedium,
                     fmt::format("Lambda extension(s) registered: {}", fmt::join(s.extensions, ", ")),
                     "Extensions run beside the handler with the function's role and see every invocation; a "
                     "malicious layer registers one to persist.",
                     "Match each extension to a layer you deploy on purpose.", *extension_lines.front());
    SetLines(&f, extension_lines);
    out.findings.push_back(std::move(f));
  }
  if (!timeouts.empty()) {
    Finding f = Base(arn, "lambda_logs_timeouts", Severity::kLow, fmt::format("{} invocation(s) timed out", timeouts.size()),
                     "Timeouts follow crypto-mining, blocked exfiltration and hanging reverse shells as well as bugs.",
                     "Compare with the Duration metric's baseline.", *timeouts.front());
    SetLines(&f, timeouts);
    out.findings.push_back(std::move(f));
  }
  if (!errors.empty()) {
    Finding f = Base(arn, "lambda_logs_runtime_errors", Severity::kLow, fmt::format("{} runtime error line(s)", errors.size()),
                     "Errors right after a code or configuration change often mark the change.",
                     "Read them beside the timeline of changes.", *errors.front());
    SetLines(&f, errors);
    out.findings.push_back(std::move(f));
  }
  return out;
}

std::vector<LogLine> ReadLogJsonLines(const std::string& case_dir, const std::string& relative_path) {
  std::vector<LogLine> out;
  const std::string all = ReadRegularFile(case_dir + "/" + relative_path, kMaxCaseFileBytes).value_or("");
  size_t number = 0;
  for (std::string_view text : Split(all, '\n')) {
    ++number;
    if (text.empty()) continue;
    const auto doc = nlohmann::json::parse(text, nullptr, false);
    if (!doc.is_object()) continue;
    LogLine line;
    line.time = static_cast<int64_t>(JInt(doc, "timestamp"));
    line.stream = JStr(doc, "logStreamName");
    line.message = JStr(doc, "message");
    while (!line.message.empty() && (line.message.back() == '\n' || line.message.back() == '\r')) line.message.pop_back();
    line.reference = fmt::format("{}#L{}", relative_path, number);
    out.push_back(std::move(line));
  }
  return out;
}

}  // namespace lir
