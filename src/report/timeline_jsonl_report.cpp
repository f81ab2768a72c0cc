// The timeline as JSON Lines for Timesketch (and Plaso's JSON Lines import): each line has
// the three fields Timesketch requires (message, datetime, timestamp_desc), `timestamp` in
// microseconds, and our own fields. CloudTrail events come first, in time order, then the
// findings (evidence findings have no event of their own), each on its first event's time.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <nlohmann/json.hpp>

#include "report/event_json.h"
#include "report/report_sink.h"

namespace lir {
namespace {

using nlohmann::ordered_json;

// ASCII only: U+2028, U+0085 and their kind end lines for some readers (Python's splitlines),
// so an attacker's field could split a record in two.
std::string Line(const ordered_json& j) {
  return j.dump(-1, ' ', true, ordered_json::error_handler_t::replace) + "\n";
}

class TimelineJsonlSink final : public ReportSink {
 public:
  void Begin(const ReportHeader&) override {}

  void OnEvent(const Event& e, const std::vector<std::string>& rule_ids) override {
    const std::string resource = e.ResourceArn();
    std::string message = fmt::format("{} {}:{}", e.actor.Display(), e.source, e.name);
    if (!resource.empty()) message += " " + resource;
    if (!e.error_code.empty()) message += " (" + e.error_code + ")";
    ordered_json line = {{"message", message},
                         {"datetime", FormatIso8601(e.time)},
                         {"timestamp", e.time * 1000},
                         {"timestamp_desc", "Event Recorded"},
                         {"data_type", "aws:cloudtrail:event"},
                         {"tag", rule_ids.empty() ? std::vector<std::string>{} : std::vector<std::string>{"lambda-ir"}}};
    line.update(TimelineEventJson(e, rule_ids));  // the JSON report's fields, named the same
    events_ += Line(line);
  }

  void OnFinding(const Finding& f) override {
    findings_ += Line({{"message", fmt::format("[{}] {}: {}", ToString(f.severity), f.title, f.resource)},
                       {"datetime", FormatIso8601(f.time)},
                       {"timestamp", f.time * 1000},
                       {"timestamp_desc", "First Supporting Event"},
                       {"data_type", "lambda-ir:finding"},
                       {"rule_id", f.rule_id},
                       {"severity", ToString(f.severity)},
                       {"title", f.title},
                       {"resource", f.resource},
                       {"actor", f.actor},
                       {"source_ip", f.source_ip},
                       {"region", f.region},
                       {"account", f.account},
                       {"event_ids", f.event_ids},
                       {"routine", f.routine},
                       {"mitre", f.mitre},
                       {"tag", {"lambda-ir", std::string(ToString(f.severity))}}});
  }

  std::string Finish() override { return events_ + findings_; }

 private:
  std::string events_;
  std::string findings_;
};

}  // namespace

std::unique_ptr<ReportSink> MakeTimelineJsonlSink(const SinkOptions&) { return std::make_unique<TimelineJsonlSink>(); }

}  // namespace lir
