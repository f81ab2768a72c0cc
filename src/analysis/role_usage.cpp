#include "analysis/role_usage.h"

#include <algorithm>

#include "core/strings.h"
#include "sources/cloudtrail_reader.h"
#include "sources/event_view.h"
#include "sources/event.h"
#include "sources/input_files.h"

namespace lir {
namespace {

class UsageSink : public RecordSink {
 public:
  UsageSink(TrailUsage* usage, const std::set<std::string>& roles, std::vector<ReadIssue>* issues)
      : usage_(usage), roles_(roles), issues_(issues) {
    for (const std::string& arn : roles) accounts_.insert(std::string(AccountFromArnOrId(arn)));
  }

  void OnRecord(const RecordRef& record) override {
    EventView scratch;
    std::string why;
    const EventView* found = record.View(&scratch, &why);
    if (found == nullptr) return;  // not an event: nothing to count
    const EventView& view = *found;
    // Another account's events say nothing of whether this one's trail covers the window.
    const std::string_view account = view.account().empty() ? AccountFromArnOrId(view.actor_arn) : view.account();
    if (accounts_.count(std::string(account))) {
      ++usage_->events;
      if (view.read_only == true) ++usage_->read_events;
      usage_->first = usage_->first == 0 ? view.time : std::min(usage_->first, view.time);
      usage_->last = std::max(usage_->last, view.time);
    }
    if (view.issuer_arn.empty() || !roles_.count(std::string(view.issuer_arn)) || IsAuthorizationFailure(view.error_code)) return;
    const std::string action = IamActionOfEvent(view.source, view.name);
    if (action.empty()) return;
    // The session name: the last part of arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION.
    const std::string_view arn = view.actor_arn;
    const std::string session(arn.substr(arn.rfind('/') == std::string_view::npos ? arn.size() : arn.rfind('/') + 1));
    ActionUse& use = usage_->roles[std::string(view.issuer_arn)][session][ToLower(action)];
    use.action = action;
    ++use.calls;
    use.last = std::max(use.last, view.time);
  }

  void OnIssue(ReadIssue issue) override {
    if (issue.kind != IssueKind::kSkipped) issues_->push_back(std::move(issue));
  }

 private:
  TrailUsage* usage_;
  const std::set<std::string>& roles_;
  std::vector<ReadIssue>* issues_;
  std::set<std::string> accounts_;
};

}  // namespace

bool IsAuthorizationFailure(std::string_view error_code) {
  return IContains(error_code, "AccessDenied") || IContains(error_code, "Unauthorized") || IContains(error_code, "Forbidden");
}

TrailUsage ReadTrailUsage(const std::vector<std::string>& paths, const std::set<std::string>& roles, std::vector<ReadIssue>* issues) {
  TrailUsage usage;
  usage.given = true;
  UsageSink sink(&usage, roles, issues);
  CloudTrailReader reader;
  for (const InputFile& file : DiscoverInputs(paths, issues)) {
    usage.sources.push_back(file.path);
    reader.ReadFile(file.path, sink);
  }
  return usage;
}

}  // namespace lir
