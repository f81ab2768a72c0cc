#!/usr/bin/env python3
"""Detection quality per rule family, from two `lambda-ir analyze --format json` reports:

  detection_quality.py SAMPLE_REPORT SAMPLE_TRUTH BENIGN_REPORT

- recall: of the (rule, event) pairs the generator planted in the sample incident
  (examples/incident.expected.json), how many the sample's report has;
- false positives: findings at high or critical on the benign week (tools/gen_cloudtrail.py
  --benign), where there is no attack at all; medium findings there are counted beside them.

Prints a Markdown table, then one line per high/critical finding on the benign week (none is
the target). Exit 1 when a planted pair is missed or the benign week has a high/critical one.
"""
import collections
import json
import sys

FAMILIES = [("suspect_", "suspect pivot"), ("lambda_", "Lambda changes"), ("iam_", "IAM and roles"),
            ("cloudtrail_", "CloudTrail tampering"), ("sigma_", "SigmaHQ (bundled)")]


def family(rule_id):
    for prefix, name in FAMILIES:
        if rule_id.startswith(prefix):
            return name
    return "other"


sample = json.load(open(sys.argv[1]))
truth = json.load(open(sys.argv[2]))
benign = json.load(open(sys.argv[3]))

found = {(f["rule_id"], e) for f in sample["findings"] for e in f["event_ids"]}
planted = collections.defaultdict(set)
for f in truth["findings"]:
    for e in f["event_ids"]:
        planted[family(f["rule_id"])].add((f["rule_id"], e))
high = collections.Counter()
medium = collections.Counter()
routine = collections.Counter()
offenders = []
for f in benign["findings"]:
    fam = family(f["rule_id"])
    if f["severity"] in ("high", "critical"):
        high[fam] += 1
        offenders.append(f)
    elif f["severity"] == "medium":
        medium[fam] += 1
    if f.get("routine"):
        routine[fam] += 1

print(f"| rule family | planted in the sample | found | recall | benign week: high/critical | medium | routine (collapsed) |")
print("|---|---:|---:|---:|---:|---:|---:|")
missed = 0
for _, name in FAMILIES:
    p = planted.get(name, set())
    hit = len(p & found)
    missed += len(p) - hit
    recall = f"{100 * hit / len(p):.0f}%" if p else "-"
    print(f"| {name} | {len(p)} | {hit} | {recall} | {high[name]} | {medium[name]} | {routine[name]} |")
total_p = sum(len(v) for v in planted.values())
print(f"| all | {total_p} | {total_p - missed} | {100 * (total_p - missed) / max(total_p, 1):.0f}% | "
      f"{sum(high.values())} | {sum(medium.values())} | {sum(routine.values())} |")
print()
print(f"benign week: {benign['stats']['events']} events, {len(benign['findings'])} findings, "
      f"severity counts {benign['severity_counts']}")
for f in offenders:
    print(f"  false positive: {f['severity']} {f['rule_id']} {f['actor']} {f['resource']} {f['time']}")
sys.exit(1 if missed or offenders else 0)
