#include <nlohmann/json.hpp>

#include "report/event_json.h"
#include "report/incident_summary.h"
#include "report/report.h"
#include "report/report_common.h"
#include "report/report_sink.h"

namespace lir {

namespace {

using nlohmann::ordered_json;

ordered_json CreatedJson(const std::vector<CreatedIdentity>& created) {
  ordered_json out = ordered_json::array();
  for (const CreatedIdentity& c : created) out.push_back({{"kind", c.kind}, {"id", c.id}, {"user", c.user}});
  return out;
}

ordered_json OptionalTime(const std::optional<TimestampMs>& t) {
  return t ? ordered_json(FormatIso8601(*t)) : ordered_json(nullptr);
}

ordered_json LocationsJson(const std::vector<EvidenceLocation>& locations) {
  ordered_json out = ordered_json::array();
  for (const EvidenceLocation& l : locations) {
    out.push_back({{"artifact", l.artifact}, {"member", l.member}, {"line", l.line}});
  }
  return out;
}

// The documented analyze JSON (docs/analyze-json.md), built as the items come.
class JsonSink final : public ReportSink {
 public:
  void Begin(const ReportHeader& h) override {
    const ReportContext& c = h.context;
    result_ = &h.result;
    doc_["schema"] = "lambda-ir/analyze/v1";
    doc_["tool"] = {{"name", "lambda-ir"}, {"version", c.version}};
    doc_["generated_at"] = FormatIso8601(c.generated_at);
    doc_["inputs"] = c.inputs;
    doc_["filters"] = {{"since", OptionalTime(c.options.since)},
                       {"until", OptionalTime(c.options.until)},
                       {"account", c.options.accounts.size() == 1 ? ordered_json(c.options.accounts.front()) : ordered_json(nullptr)},
                       {"region", c.options.region.empty() ? ordered_json(nullptr) : ordered_json(c.options.region)},
                       {"function", c.options.function.empty() ? ordered_json(nullptr) : ordered_json(c.options.function)},
                       {"min_severity", ToString(c.options.min_severity)}};
    if (c.options.accounts.size() > 1) doc_["filters"]["accounts"] = c.options.accounts;  // --accounts
    const ScanStats& s = h.result.stats;
    doc_["stats"] = {{"files", s.files},
                     {"files_pruned", s.files_pruned},
                     {"bad_files", s.bad_files},
                     {"bytes", s.bytes},
                     {"records", s.records},
                     {"events", s.events},
                     {"skipped_records", s.skipped_records},
                     {"filtered_out", s.filtered_out},
                     {"duplicate_events", s.duplicate_events},
                     {"first_event", OptionalTime(s.first_event)},
                     {"last_event", OptionalTime(s.last_event)},
                     {"rules", c.rules_loaded}};
    const IncidentSummary& summary = h.summary;
    ordered_json actors = ordered_json::array();
    for (const auto& a : summary.actors) {
      actors.push_back({{"actor", a.actor}, {"first_seen", a.first_seen}, {"source_ips", a.source_ips},
                        {"access_keys", a.access_keys}, {"findings", a.findings}});
    }
    doc_["summary"] = {{"incident", summary.incident}, {"entry", summary.entry}, {"actors", actors},
                       {"functions", summary.functions}, {"changes", summary.changes},
                       {"persistence", summary.persistence}, {"data", summary.data},
                       {"evasion", summary.evasion}, {"next", summary.next}};
    const auto counts = SeverityCounts(h.result.findings);
    ordered_json by_severity = ordered_json::object();
    for (int i = 4; i >= 0; --i) by_severity[std::string(ToString(static_cast<Severity>(i)))] = counts[i];
    doc_["severity_counts"] = by_severity;
    doc_["findings"] = ordered_json::array();
    doc_["timeline"] = ordered_json::array();
  }

  void OnFinding(const Finding& f) override {
    doc_["findings"].push_back({{"rule_id", f.rule_id},
                                {"severity", ToString(f.severity)},
                                {"title", f.title},
                                {"time", FormatIso8601(f.time)},
                                {"resource", f.resource},
                                {"actor", f.actor},
                                {"access_key_id", f.access_key_id},
                                {"source_ip", f.source_ip},
                                {"region", f.region},
                                {"account", f.account},
                                {"event_name", f.event_name},
                                {"event_ids", f.event_ids},
                                {"events_not_listed", f.events_not_listed},
                                {"category", f.category},
                                {"routine", f.routine},
                                {"note", f.note},
                                {"created", CreatedJson(f.created)},
                                {"mitre", f.mitre},
                                {"description", f.description},
                                {"remediation", f.remediation},
                                {"references", f.references},
                                {"locations", LocationsJson(f.locations)}});
  }

  void OnEvent(const Event& e, const std::vector<std::string>& rule_ids) override {
    doc_["timeline"].push_back(TimelineEventJson(e, rule_ids));
  }

  void OnIssue(const ReadIssue& i) override {
    issues_.push_back({{"kind", IssueKindName(i.kind)}, {"file", i.file}, {"position", i.position}, {"message", i.message}});
  }

  std::string Finish() override {
    const AnalysisResult& r = *result_;
    ordered_json roles = ordered_json::object();
    for (const auto& [role, fns] : r.lambda_roles) roles[role] = fns;
    doc_["lambda_roles"] = std::move(roles);
    if (!r.own_reads_not_listed.empty()) doc_["own_reads_not_listed"] = r.own_reads_not_listed;
    if (r.function_history) {
      const FunctionHistory& h = *r.function_history;
      ordered_json fields = ordered_json::object();
      for (const auto& [field, changes] : h.fields) {
        ordered_json list = ordered_json::array();
        for (const FieldChange& ch : changes) {
          list.push_back({{"time", FormatIso8601(ch.time)}, {"value", ch.value}, {"actor", ch.actor},
                          {"source_ip", ch.source_ip}, {"event_name", ch.event_name}, {"event_id", ch.event_id}});
        }
        fields[field] = std::move(list);
      }
      doc_["function"] = {{"name", h.function}, {"roles", h.roles}, {"history", std::move(fields)}};
    }
    doc_["issues"] = std::move(issues_);
    doc_["issues_not_listed"] = r.issues_not_listed;
    // Hostile event fields may hold invalid UTF-8 that survived repair-free paths: replace.
    // ASCII only: a C1 control or a bidi override from an event is \u-escaped, so the document
    // printed to a terminal cannot drive it (OCSF and the timeline do the same).
    return doc_.dump(2, ' ', true, ordered_json::error_handler_t::replace) + "\n";
  }

 private:
  const AnalysisResult* result_ = nullptr;
  ordered_json doc_;
  ordered_json issues_ = ordered_json::array();
};

}  // namespace

std::unique_ptr<ReportSink> MakeJsonSink(const SinkOptions&) { return std::make_unique<JsonSink>(); }

std::string RenderJson(const AnalysisResult& r, const ReportContext& c) {
  JsonSink sink;
  return RenderWith(sink, r, c);
}

}  // namespace lir
