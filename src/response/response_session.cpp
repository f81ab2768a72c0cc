#include "response/response_session.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "aws/sts_client.h"
#include "core/json_util.h"
#include "core/safe_name.h"
#include "core/strings.h"
#include "sources/event.h"

namespace lir {

namespace fs = std::filesystem;

void ResponseSession::Custody(const std::string& action, const std::string& detail_json, ResponseUi& ui) const {
  if (evidence == nullptr) return;
  if (const std::string said = evidence->RecordOrSay(action, detail_json); !said.empty()) {
    ui.Warning(said + " (the response goes on; the case's custody log lacks this line)");
  }
}

PlanHeader ResponseSession::Header(const std::string& verb) const {
  return PlanHeader{verb, account, region, actor, endpoint, evidence ? evidence->dir() : "", functions};
}

StepContext ResponseSession::Context(const std::string& key_prefix, const ResponseRequest& request) const {
  StepContext ctx;
  ctx.calls = calls.get();
  ctx.function = functions.empty() ? "" : functions.front();
  ctx.key_prefix = key_prefix;
  ctx.wait_seconds = request.wait_seconds;
  ctx.cli = request.cli;
  ctx.account = account;
  ctx.region = region;
  return ctx;
}

namespace {

// arn:PARTITION:SERVICE:REGION:ACCOUNT:...
std::vector<std::string> ArnParts(std::string_view arn) {
  std::vector<std::string> parts;
  for (std::string_view p : Split(arn, ':')) parts.emplace_back(p);
  return parts;
}

}  // namespace

CaseScope ReadCaseScope(const std::string& case_dir) {
  CaseScope scope;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(case_dir + "/artifacts/lambda", ec)) {
    const fs::path doc = entry.path() / "function.json";
    if (!fs::is_regular_file(doc, ec)) continue;
    std::ifstream in(doc);
    std::stringstream text;
    text << in.rdbuf();
    const auto parsed = nlohmann::json::parse(text.str(), nullptr, false);
    const auto parts = ArnParts(JStr(JAt(parsed, "Configuration"), "FunctionArn"));
    if (parts.size() < 7 || parts[0] != "arn") continue;
    scope.regions.insert(parts[3]);
    scope.accounts.insert(parts[4]);
  }
  return scope;
}

std::string ScopeMismatch(const CaseScope& scope, const std::string& account, const std::string& region) {
  std::vector<std::string> wrong;
  for (const auto& a : scope.accounts) {
    if (a != account) wrong.push_back("account " + a);
  }
  for (const auto& r : scope.regions) {
    if (r != region) wrong.push_back("region " + r);
  }
  if (wrong.empty()) return "";
  return fmt::format("the case holds evidence of {}, but these credentials act on account {} in region {}", fmt::join(wrong, " and "),
                     account, region);
}

std::string FunctionRefMismatch(const std::string& ref, const std::string& account, const std::string& region) {
  if (ref.rfind("arn:", 0) != 0) return "";
  const auto parts = ArnParts(ref);
  if (parts.size() < 7) return fmt::format("{} is not a function ARN", ref);
  if (parts[4] != account) return fmt::format("{} is in account {}, but these credentials act on account {}", ref, parts[4], account);
  if (parts[3] != region) return fmt::format("{} is in region {}, but this command acts on region {} (--region)", ref, parts[3], region);
  return "";
}

tl::expected<std::unique_ptr<ResponseSession>, Refusal> OpenResponseSession(aws::AwsSession& aws, const ResponseRequest& request,
                                                                            const std::string& verb, bool create_case) {
  auto rs = std::make_unique<ResponseSession>();
  rs->aws = &aws;
  rs->calls = std::make_unique<AwsCalls>(aws);
  for (const auto& f : request.functions) rs->functions.emplace_back(FunctionNameFromRef(f));
  aws::StsClient sts(aws.context());
  auto identity = sts.GetCallerIdentity();
  if (!identity) {
    return tl::unexpected(Refusal{ResponseStatus::kFailed, fmt::format("{} ({})", identity.error().message, aws::RemedyFor(identity.error()))});
  }
  rs->actor = identity->arn;
  rs->account = identity->account;
  rs->region = sts.client().region();
  rs->endpoint = sts.client().endpoint();
  for (const auto& f : request.functions) {
    if (auto wrong = FunctionRefMismatch(f, rs->account, rs->region); !wrong.empty()) {
      return tl::unexpected(Refusal{ResponseStatus::kRefused, fmt::format("{}: {}. Nothing changed.", verb, wrong)});
    }
  }
  std::error_code ec;
  const bool exists = !request.case_dir.empty() && fs::exists(request.case_dir + "/manifest.json", ec);
  if (exists) {
    if (auto wrong = ScopeMismatch(ReadCaseScope(request.case_dir), rs->account, rs->region); !wrong.empty()) {
      return tl::unexpected(Refusal{ResponseStatus::kRefused, fmt::format("{}: {} ({}). Use a case of this account and region, "
                                                                          "or the credentials and --region of the case's. Nothing changed.",
                                                                          verb, wrong, request.case_dir)});
    }
  }
  if (request.dry_run) {
    // Read-only: the case's journal if it has one (recover needs it); never a new case or journal.
    if (exists && fs::exists(request.case_dir + "/journal.sqlite", ec)) {
      auto journal = Journal::Open(request.case_dir, rs->actor);
      if (journal) rs->journal = std::move(*journal);
    }
    return rs;
  }
  if (!exists && !create_case) {
    return tl::unexpected(Refusal{ResponseStatus::kBadRequest, fmt::format("{}: --case must name an existing case", verb)});
  }
  std::string dir = request.case_dir;
  if (dir.empty()) {
    std::string stamp = FormatIso8601(NowMs() - NowMs() % 1000);
    std::erase_if(stamp, [](char c) { return c == '-' || c == ':'; });
    dir = "cases/" + SafeName(rs->functions.front()) + (rs->functions.size() > 1 ? "-and-more" : "") + "-" + stamp;
  }
  auto evidence = exists ? EvidenceCase::Open(dir, rs->actor)
                         : EvidenceCase::Create(dir, fs::path(dir + "/").lexically_normal().parent_path().filename().string(), rs->actor,
                                                request.tool_version);
  if (!evidence) return tl::unexpected(Refusal{ResponseStatus::kCaseError, evidence.error().message});
  rs->evidence = std::move(*evidence);
  auto journal = Journal::Open(dir, rs->actor);
  if (!journal) return tl::unexpected(Refusal{ResponseStatus::kCaseError, journal.error().message});
  rs->journal = std::move(*journal);
  return rs;
}

}  // namespace lir
