// The story a report opens with: who got in with which credential and from where, what they
// changed, what they left behind, what they read, what they hid, and the commands to run
// next. Built from the findings alone: high or critical ones that are not routine make the
// incident, their callers are its actors, and every finding by an actor tells part of it.
#pragma once

#include <string>
#include <vector>

#include "analysis/engine.h"

namespace lir {

struct IncidentSummary {
  struct Actor {
    std::string actor;            // ARN as in findings
    std::string first_seen;       // ISO-8601 of its first finding
    std::vector<std::string> source_ips;
    std::vector<std::string> access_keys;
    size_t findings = 0;
  };
  bool incident = false;              // some finding at high or critical, not routine
  std::string entry;                  // the first such finding, told in one line
  std::vector<Actor> actors;          // by first seen
  std::vector<std::string> functions;    // function names the actors touched or whose role they used
  std::vector<std::string> changes;      // "title: resource" of their Lambda and role changes
  std::vector<std::string> persistence;  // what they created or opened, named
  std::vector<std::string> data;         // secrets and parameters read
  std::vector<std::string> evasion;      // logging and detection they weakened
  std::vector<std::string> next;         // commands to run, in order
};

// `case_dir`: the case the evidence came from, which the next steps act in; empty: a
// placeholder name (case-FUNCTION) for the case that contain will create.
IncidentSummary SummarizeIncident(const AnalysisResult& result, const std::string& case_dir = "");

}  // namespace lir
