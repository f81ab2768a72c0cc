#include <nlohmann/json.hpp>

#include "report/incident_summary.h"
#include "report/report.h"
#include "report/report_common.h"

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

}  // namespace

std::string RenderJson(const AnalysisResult& r, const ReportContext& c) {
  ordered_json doc;
  doc["schema"] = "lambda-ir/analyze/v1";
  doc["tool"] = {{"name", "lambda-ir"}, {"version", c.version}};
  doc["generated_at"] = FormatIso8601(c.generated_at);
  doc["inputs"] = c.inputs;
  doc["filters"] = {{"since", OptionalTime(c.options.since)},
                    {"until", OptionalTime(c.options.until)},
                    {"account", c.options.account.empty() ? ordered_json(nullptr) : ordered_json(c.options.account)},
                    {"region", c.options.region.empty() ? ordered_json(nullptr) : ordered_json(c.options.region)},
                    {"function", c.options.function.empty() ? ordered_json(nullptr) : ordered_json(c.options.function)},
                    {"min_severity", ToString(c.options.min_severity)}};
  const ScanStats& s = r.stats;
  doc["stats"] = {{"files", s.files},
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
  const IncidentSummary summary = SummarizeIncident(r);
  ordered_json actors = ordered_json::array();
  for (const auto& a : summary.actors) {
    actors.push_back({{"actor", a.actor}, {"first_seen", a.first_seen}, {"source_ips", a.source_ips},
                      {"access_keys", a.access_keys}, {"findings", a.findings}});
  }
  doc["summary"] = {{"incident", summary.incident}, {"entry", summary.entry}, {"actors", actors},
                    {"functions", summary.functions}, {"changes", summary.changes},
                    {"persistence", summary.persistence}, {"data", summary.data},
                    {"evasion", summary.evasion}, {"next", summary.next}};
  const auto counts = SeverityCounts(r.findings);
  ordered_json by_severity = ordered_json::object();
  for (int i = 4; i >= 0; --i) by_severity[std::string(ToString(static_cast<Severity>(i)))] = counts[i];
  doc["severity_counts"] = by_severity;

  ordered_json findings = ordered_json::array();
  for (const Finding& f : r.findings) {
    findings.push_back({{"rule_id", f.rule_id},
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
                        {"references", f.references}});
  }
  doc["findings"] = std::move(findings);

  const auto rules_by_event = RulesByEvent(r.findings);
  ordered_json timeline = ordered_json::array();
  for (const Event& e : r.timeline) {
    auto rules = rules_by_event.find(e.event_id);
    timeline.push_back({{"time", FormatIso8601(e.time)},
                        {"event_id", e.event_id},
                        {"event_name", e.name},
                        {"event_name_raw", e.name_raw},
                        {"event_source", e.source},
                        {"actor", e.actor.Display()},
                        {"actor_type", e.actor.type},
                        {"access_key_id", e.actor.access_key_id},
                        {"source_ip", e.source_ip},
                        {"user_agent", e.user_agent},
                        {"region", e.region},
                        {"account", e.account},
                        {"resource", e.ResourceArn()},
                        {"error_code", e.error_code.empty() ? ordered_json(nullptr) : ordered_json(e.error_code)},
                        {"rule_ids", rules == rules_by_event.end() ? std::vector<std::string>{} : rules->second}});
  }
  doc["timeline"] = std::move(timeline);

  ordered_json roles = ordered_json::object();
  for (const auto& [role, fns] : r.lambda_roles) roles[role] = fns;
  doc["lambda_roles"] = std::move(roles);

  if (!r.own_reads_not_listed.empty()) doc["own_reads_not_listed"] = r.own_reads_not_listed;
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
    doc["function"] = {{"name", h.function}, {"roles", h.roles}, {"history", std::move(fields)}};
  }

  ordered_json issues = ordered_json::array();
  for (const ReadIssue& i : r.issues) {
    issues.push_back({{"kind", IssueKindName(i.kind)}, {"file", i.file}, {"position", i.position}, {"message", i.message}});
  }
  doc["issues"] = std::move(issues);
  doc["issues_not_listed"] = r.issues_not_listed;
  // Hostile event fields may hold invalid UTF-8 that survived repair-free paths: replace.
  return doc.dump(2, ' ', false, ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace lir
