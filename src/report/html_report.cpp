// One self-contained HTML file for a manager, a ticket or a browser on an air-gapped laptop:
// inline CSS and script, an SVG chart drawn here, and a Content-Security-Policy that forbids
// every fetch. It opens with the incident summary, then the suspects' activity over time, the
// findings (filter by severity, actor, resource, text; sort by any column; each opens to its
// evidence and remediation), the configuration history, the cases' integrity and what could
// not be read. Everything from events is escaped: an attacker's field is text, never markup.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>
#include <set>

#include "core/hashing.h"
#include "core/strings.h"
#include "report/incident_summary.h"
#include "report/report_common.h"
#include "report/report_sink.h"

namespace lir {
namespace {

std::string Html(std::string_view raw) {
  const std::string text = SanitizeKeepingLines(raw);  // printed to a terminal, the page cannot drive it
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

constexpr std::string_view kStyle = R"(
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
header{background:#1d2330;color:#fff;padding:18px 28px}header h1{margin:0;font-size:22px}header p{margin:4px 0 0;color:#c9cfdb}
main{padding:8px 28px 40px;max-width:1400px}section{background:#fff;border:1px solid #dde1e8;border-radius:6px;margin:16px 0;padding:14px 18px}
h2{font-size:17px;margin:0 0 10px}table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #eceef2;vertical-align:top}
th{background:#f0f2f5;cursor:pointer;user-select:none;white-space:nowrap}th.up::after{content:" \25B4"}th.down::after{content:" \25BE"}
td.mono{word-break:break-all}td.mono,code,pre{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12.5px}pre{white-space:pre-wrap;word-break:break-all;margin:4px 0}
.sev{display:inline-block;min-width:64px;text-align:center;border-radius:3px;padding:1px 6px;font-weight:600;font-size:12px;color:#fff}
.critical{background:#7a0c2e}.high{background:#c0392b}.medium{background:#d68910}.low{background:#2e86c1}.info{background:#7f8c8d}
.incident{border-left:5px solid #c0392b}.calm{border-left:5px solid #27ae60}dl{display:grid;grid-template-columns:130px 1fr;gap:4px 12px;margin:0}dt{font-weight:600;color:#4a5366}dd{margin:0}
.filters{display:flex;flex-wrap:wrap;gap:10px;margin-bottom:10px}.filters label{font-size:13px;color:#4a5366}
tr.finding{cursor:pointer}tr.finding:hover{background:#f7f9fc}tr.detail td{background:#fafbfc}tr.detail[hidden]{display:none}
.ok{color:#1e8449;font-weight:600}.bad{color:#c0392b;font-weight:600}.routine{color:#7f8c8d;font-size:12px}
svg text{font:11px system-ui,sans-serif;fill:#4a5366}
)";

constexpr std::string_view kScript = R"(
(function(){
const rows=[...document.querySelectorAll('#findings tbody')];
const order={critical:4,high:3,medium:2,low:1,info:0};
const get=id=>document.getElementById(id);
function apply(){
  const min=order[get('f-sev').value],actor=get('f-actor').value,res=get('f-resource').value,
        text=get('f-text').value.toLowerCase(),routine=get('f-routine').checked;let shown=0;
  for(const b of rows){const d=b.dataset;
    const ok=order[d.sev]>=min&&(!actor||d.actor===actor)&&(!res||d.resource===res)&&(routine||d.routine!=='1')&&
             (!text||b.textContent.toLowerCase().includes(text));
    b.hidden=!ok;if(ok)shown++;}
  get('f-count').textContent=shown+' of '+rows.length+' shown';}
for(const id of['f-sev','f-actor','f-resource','f-text','f-routine'])get(id).addEventListener('input',apply);
for(const tr of document.querySelectorAll('#findings tr.finding'))
  tr.addEventListener('click',()=>{const d=tr.nextElementSibling;d.hidden=!d.hidden;});
let sortKey='',sortDir=1;
for(const th of document.querySelectorAll('#findings th[data-key]'))th.addEventListener('click',()=>{
  const key=th.dataset.key;sortDir=key===sortKey?-sortDir:(key==='sev'?-1:1);sortKey=key;
  document.querySelectorAll('#findings th').forEach(h=>h.classList.remove('up','down'));th.classList.add(sortDir>0?'up':'down');
  const val=b=>key==='sev'?order[b.dataset.sev]:b.dataset[key]||'';
  rows.sort((a,b)=>{const x=val(a),y=val(b);return(x<y?-1:x>y?1:0)*sortDir;});
  const table=get('findings-table');for(const b of rows)table.appendChild(b);});
apply();})();
)";

std::string SeverityBadge(Severity s) {
  const std::string name(ToString(s));
  return fmt::format("<span class=\"sev {}\">{}</span>", name, name);
}

std::string List(const std::vector<std::string>& items) {
  std::string out = "<ul>";
  for (const auto& i : items) out += "<li>" + Html(i) + "</li>";
  return out + "</ul>";
}

std::string Summary(const IncidentSummary& s) {
  std::string out = fmt::format("<section id=\"summary\" class=\"{}\"><h2>Incident summary</h2>", s.incident ? "incident" : "calm");
  if (!s.incident) {
    return out + "<p>No high or critical finding: nothing points to a compromise in this evidence.</p></section>";
  }
  out += "<dl><dt>Entry</dt><dd>" + Html(s.entry) + "</dd>";
  for (const auto& a : s.actors) {
    out += fmt::format("<dt>Actor</dt><dd><code>{}</code>: first seen {}{}{}; {} finding(s)</dd>", Html(a.actor), Html(a.first_seen),
                       a.source_ips.empty() ? "" : Html(fmt::format(", from {}", fmt::join(a.source_ips, ", "))),
                       a.access_keys.empty() ? "" : Html(fmt::format(", keys {}", fmt::join(a.access_keys, ", "))), a.findings);
  }
  if (!s.functions.empty()) out += "<dt>Functions</dt><dd>" + Html(fmt::format("{}", fmt::join(s.functions, ", "))) + "</dd>";
  for (auto [label, items] : {std::pair{"Changed", &s.changes}, std::pair{"Persistence", &s.persistence},
                              std::pair{"Data read", &s.data}, std::pair{"Evasion", &s.evasion}}) {
    if (!items->empty()) out += fmt::format("<dt>{}</dt><dd>{}</dd>", label, List(*items));
  }
  if (!s.next.empty()) {
    out += "<dt>Next</dt><dd><ol>";
    for (const auto& n : s.next) out += "<li><code>" + Html(n) + "</code></li>";
    out += "</ol></dd>";
  }
  return out + "</dl></section>";
}

// The suspects' events over time: one lane per actor, a dot per event in the colour of the
// highest finding on it (grey: context). With no suspect, the flagged events' callers.
std::string Chart(const AnalysisResult& r, const IncidentSummary& s) {
  std::map<std::string, Severity> worst;  // event id -> highest finding on it
  for (const Finding& f : r.findings) {
    for (const auto& id : f.event_ids) {
      auto [it, added] = worst.emplace(id, f.severity);
      if (!added) it->second = std::max(it->second, f.severity);
    }
  }
  std::vector<std::string> lanes;
  for (const auto& a : s.actors) lanes.push_back(a.actor);
  if (lanes.empty()) {
    std::set<std::string> seen;
    for (const Event& e : r.timeline) {
      if (worst.count(e.event_id) && seen.insert(e.actor.Display()).second) lanes.push_back(e.actor.Display());
    }
  }
  constexpr size_t kMaxLanes = 12;
  if (lanes.size() > kMaxLanes) lanes.resize(kMaxLanes);
  std::vector<const Event*> events;
  for (const Event& e : r.timeline) {
    if (std::find(lanes.begin(), lanes.end(), e.actor.Display()) != lanes.end()) events.push_back(&e);
  }
  std::string out = "<section id=\"chart\"><h2>Suspect activity over time</h2>";
  if (events.empty()) return out + "<p>No suspect activity in the timeline.</p></section>";
  const TimestampMs first = events.front()->time, last = std::max(events.back()->time, first + 1);
  constexpr int kLeft = 260, kWidth = 1060, kLane = 26, kTop = 10;
  const int height = kTop + static_cast<int>(lanes.size()) * kLane + 34;
  out += fmt::format("<svg role=\"img\" aria-label=\"Suspect activity over time\" width=\"100%\" viewBox=\"0 0 {} {}\">",
                     kLeft + kWidth + 20, height);
  for (size_t i = 0; i < lanes.size(); ++i) {
    const int y = kTop + static_cast<int>(i) * kLane + kLane / 2;
    std::string label = lanes[i];
    if (label.size() > 40) {
      size_t from = label.size() - 37;
      while (from < label.size() && (static_cast<unsigned char>(label[from]) & 0xC0) == 0x80) ++from;  // a whole character
      label = "..." + label.substr(from);
    }
    out += fmt::format("<text x=\"4\" y=\"{}\"><title>{}</title>{}</text><line x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\" stroke=\"#e3e6eb\"/>", y + 4,
                       Html(lanes[i]), Html(label), kLeft, kLeft + kWidth, y, y);
  }
  const int axis = kTop + static_cast<int>(lanes.size()) * kLane + 6;
  for (int t = 0; t <= 4; ++t) {
    const TimestampMs at = first + (last - first) * t / 4;
    const int x = kLeft + kWidth * t / 4;
    out += fmt::format("<line x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\" stroke=\"#b8bec9\"/><text x=\"{}\" y=\"{}\" text-anchor=\"{}\">{}</text>",
                       x, x, kTop, axis, x, axis + 16, t == 0 ? "start" : t == 4 ? "end" : "middle", FormatIso8601(at));
  }
  static const std::map<Severity, std::string_view> colours = {{Severity::kCritical, "#7a0c2e"}, {Severity::kHigh, "#c0392b"},
                                                               {Severity::kMedium, "#d68910"},   {Severity::kLow, "#2e86c1"},
                                                               {Severity::kInfo, "#7f8c8d"}};
  for (const Event* e : events) {
    const size_t lane = static_cast<size_t>(std::find(lanes.begin(), lanes.end(), e->actor.Display()) - lanes.begin());
    const int x = kLeft + static_cast<int>((e->time - first) * kWidth / (last - first));
    const int y = kTop + static_cast<int>(lane) * kLane + kLane / 2;
    auto w = worst.find(e->event_id);
    const std::string_view colour = w == worst.end() ? std::string_view("#c2c7d0") : colours.at(w->second);
    out += fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{}\"><title>{} {} {}</title></circle>", x, y,
                       w == worst.end() ? 3 : 5, colour, FormatIso8601(e->time), Html(e->name), Html(e->ResourceArn()));
  }
  return out + "</svg></section>";
}

std::string Options(const std::set<std::string>& values) {
  std::string out;
  for (const auto& v : values) out += fmt::format("<option value=\"{}\">{}</option>", Html(v), Html(v));
  return out;
}

std::string Findings(const AnalysisResult& r, bool show_routine) {
  std::set<std::string> actors, resources;
  for (const Finding& f : r.findings) {
    if (!f.actor.empty()) actors.insert(f.actor);
    if (!f.resource.empty()) resources.insert(f.resource);
  }
  const auto counts = SeverityCounts(r.findings);
  std::string out = fmt::format(
      "<section id=\"findings\"><h2>Findings ({}: {} critical, {} high, {} medium, {} low, {} info)</h2><div class=\"filters\">"
      "<label>Severity at least <select id=\"f-sev\"><option value=\"info\">info</option><option value=\"low\">low</option>"
      "<option value=\"medium\">medium</option><option value=\"high\">high</option><option value=\"critical\">critical</option></select></label>"
      "<label>Actor <select id=\"f-actor\"><option value=\"\">all</option>{}</select></label>"
      "<label>Resource <select id=\"f-resource\"><option value=\"\">all</option>{}</select></label>"
      "<label>Text <input id=\"f-text\" type=\"search\"></label>"
      "<label><input id=\"f-routine\" type=\"checkbox\"{}> routine changes</label><span id=\"f-count\"></span></div>"
      "<table id=\"findings-table\"><thead><tr><th data-key=\"time\">Time</th><th data-key=\"sev\">Severity</th>"
      "<th data-key=\"rule\">Rule</th><th data-key=\"title\">Title</th><th data-key=\"resource\">Resource</th>"
      "<th data-key=\"actor\">Actor</th></tr></thead>",
      r.findings.size(), counts[4], counts[3], counts[2], counts[1], counts[0], Options(actors), Options(resources),
      show_routine ? " checked" : "");
  for (const Finding* f : BySeverityThenTime(r.findings)) {
    const std::string time = FormatIso8601(f->time);
    out += fmt::format(
        "<tbody data-sev=\"{}\" data-time=\"{}\" data-rule=\"{}\" data-title=\"{}\" data-resource=\"{}\" data-actor=\"{}\" "
        "data-routine=\"{}\"><tr class=\"finding\"><td class=\"mono\">{}</td><td>{}</td><td class=\"mono\">{}</td><td>{}{}</td>"
        "<td class=\"mono\">{}</td><td class=\"mono\">{}</td></tr>",
        ToString(f->severity), time, Html(f->rule_id), Html(f->title), Html(f->resource), Html(f->actor), f->routine ? 1 : 0, time,
        SeverityBadge(f->severity), Html(f->rule_id), Html(f->title), f->routine ? " <span class=\"routine\">routine</span>" : "",
        Html(f->resource), Html(f->actor));
    std::string detail = "<dl>";
    auto row = [&](std::string_view label, const std::string& value, bool pre = false) {
      if (value.empty()) return;
      detail += fmt::format("<dt>{}</dt><dd>{}</dd>", label, pre ? "<pre>" + Html(value) + "</pre>" : Html(value));
    };
    row("Description", f->description);
    row("Why", f->note);
    row("Remediation", f->remediation, true);
    std::vector<std::string> source, where;
    for (const std::string* part : {&f->source_ip, &f->access_key_id}) {
      if (!part->empty()) source.push_back(*part == f->access_key_id ? "key " + *part : *part);
    }
    for (const std::string* part : {&f->account, &f->region}) {
      if (!part->empty()) where.push_back(*part);
    }
    row("Source", fmt::format("{}", fmt::join(source, ", ")));
    row("Where", fmt::format("{}", fmt::join(where, " ")));
    row("Event", f->event_name);
    row("Evidence", fmt::format("{}{}", fmt::join(f->event_ids, " "),
                                f->events_not_listed ? fmt::format(" and {} more", f->events_not_listed) : ""));
    for (const EvidenceLocation& l : f->locations) {
      row("Location", l.artifact + (l.member.empty() ? "" : "!/" + l.member) + (l.line ? fmt::format(":{}", l.line) : ""));
    }
    row("MITRE ATT&CK", fmt::format("{}", fmt::join(f->mitre, ", ")));
    row("References", fmt::format("{}", fmt::join(f->references, " ")));
    out += "<tr class=\"detail\" hidden><td colspan=\"6\">" + detail + "</dl></td></tr></tbody>";
  }
  return out + "</table></section>";
}

std::string History(const AnalysisResult& r) {
  if (!r.function_history) return "";
  const FunctionHistory& h = *r.function_history;
  std::string out = fmt::format("<section id=\"history\"><h2>Configuration history of {}</h2><table><thead><tr><th>Field</th>"
                                "<th>Time</th><th>Value</th><th>Actor</th><th>Source IP</th></tr></thead><tbody>",
                                Html(h.function));
  for (const auto& [field, changes] : h.fields) {
    for (const FieldChange& ch : changes) {
      out += fmt::format("<tr><td>{}</td><td class=\"mono\">{}</td><td class=\"mono\">{}</td><td class=\"mono\">{}</td><td>{}</td></tr>",
                         Html(field), FormatIso8601(ch.time), Html(ch.value), Html(ch.actor), Html(ch.source_ip));
    }
  }
  return out + "</tbody></table></section>";
}

std::string Integrity(const std::vector<CaseIntegrity>& cases) {
  if (cases.empty()) return "";
  std::string out = "<section id=\"integrity\"><h2>Case integrity</h2>";
  for (const CaseIntegrity& c : cases) {
    out += fmt::format("<p><code>{}</code>: {} artifacts, {} custody lines, head <code>{}</code>: {}</p>", Html(c.dir), c.artifacts,
                       c.custody_lines, Html(c.head),
                       c.ok ? "<span class=\"ok\">intact</span>"
                            : fmt::format("<span class=\"bad\">{} problem(s)</span>", c.problems.size()));
    if (!c.problems.empty()) out += List(c.problems);
  }
  return out + "</section>";
}

std::string Issues(const AnalysisResult& r) {
  if (r.issues.empty()) return "";
  std::string out = "<section id=\"issues\"><h2>Input issues</h2><table><thead><tr><th>Kind</th><th>File</th><th>Position</th>"
                    "<th>Message</th></tr></thead><tbody>";
  for (const ReadIssue& i : r.issues) {
    out += fmt::format("<tr><td>{}</td><td class=\"mono\">{}</td><td>{}</td><td>{}</td></tr>", IssueKindName(i.kind), Html(i.file),
                       Html(i.position), Html(i.message));
  }
  if (r.issues_not_listed) out += fmt::format("<tr><td colspan=\"4\">and {} more</td></tr>", r.issues_not_listed);
  return out + "</tbody></table></section>";
}

class HtmlSink final : public ReportSink {
 public:
  void Begin(const ReportHeader& header) override { header_ = &header; }
  std::string Finish() override { return Render(header_->result, header_->context, header_->summary); }

 private:
  const ReportHeader* header_ = nullptr;

  static std::string Render(const AnalysisResult& r, const ReportContext& c, const IncidentSummary& summary) {
    const ScanStats& s = r.stats;
    // The one script allowed is ours, by its hash: markup an event slipped past the escaping
    // could still not run one.
    static const std::string script_hash = Base64Encode(Sha256(kScript));
    std::string out =
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
        "script-src 'sha256-" + script_hash + "'\"><meta name=\"viewport\" content=\"width=device-width\">"
        "<title>lambda-ir: " +
        std::string(summary.incident ? "incident report" : "analysis") + "</title><style>" + std::string(kStyle) +
        "</style></head><body><header><h1>lambda-ir " + (summary.incident ? "incident report" : "analysis") + "</h1><p>" +
        Html(fmt::format("Generated {} by lambda-ir {} from {}. {} files, {} events", FormatIso8601(c.generated_at), c.version,
                         fmt::join(c.inputs, ", "), s.files, s.events)) +
        (s.first_event ? Html(fmt::format(" from {} to {}", FormatIso8601(*s.first_event), FormatIso8601(*s.last_event))) : "") +
        ".</p></header><main>";
    out += Summary(summary) + Chart(r, summary) + Findings(r, c.show_routine) + History(r) + Integrity(c.cases) + Issues(r);
    return out + "</main><script>" + std::string(kScript) + "</script></body></html>\n";
  }
};

}  // namespace

std::unique_ptr<ReportSink> MakeHtmlSink(const SinkOptions&) { return std::make_unique<HtmlSink>(); }

}  // namespace lir
