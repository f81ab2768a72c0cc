#!/usr/bin/env python3
"""Checks a `lambda-ir analyze --format json` report against the generator's ground truth:
every planted (rule, event) pair found, and no high or critical finding beyond them.
Exit 0 when the report is right; the benchmark refuses to time a wrong answer."""
import json
import sys

report = json.load(open(sys.argv[1]))
truth = json.load(open(sys.argv[2]))
found = {(f["rule_id"], e) for f in report["findings"] for e in f["event_ids"]}
planted = {(f["rule_id"], e) for f in truth["findings"] for e in f["event_ids"]}
missing = sorted(planted - found)
extra = sorted({(f["rule_id"], e) for f in report["findings"] if f["severity"] in ("high", "critical")
                for e in f["event_ids"]} - planted)
if report["stats"]["events"] != truth["events"]:
    print(f"events: report {report['stats']['events']} != truth {truth['events']}", file=sys.stderr)
    sys.exit(1)
if missing or extra:
    print(f"missing {missing[:5]} extra {extra[:5]}", file=sys.stderr)
    sys.exit(1)
print(f"ok: {len(planted)} planted findings found, no others at high or critical")
