"""Checks a report file against its format's published definition, as a consumer would read it.

  check_report_format.py sarif FILE      valid against ../shared/schemas/sarif-2.1.0 (jsonschema)
  check_report_format.py csv FILE        RFC 4180 as Python's csv module reads it: same column count on every row
  check_report_format.py timesketch FILE every line a JSON object with Timesketch's required fields

Prints "ok N" (results, rows or lines) or the first problem, and exits non-zero on a problem.
"""
import csv
import io
import json
import os
import sys

import jsonschema

HERE = os.path.dirname(os.path.abspath(__file__))
SARIF_SCHEMA = os.path.join(HERE, "..", "..", "shared", "schemas", "sarif-2.1.0", "sarif-schema-2.1.0.json")


def check_sarif(text):
    with open(SARIF_SCHEMA, encoding="utf-8") as f:
        schema = json.load(f)
    doc = json.loads(text)
    jsonschema.validate(doc, schema, cls=jsonschema.Draft4Validator)
    return sum(len(run.get("results", [])) for run in doc["runs"])


def check_csv(text):
    rows = list(csv.reader(io.StringIO(text, newline="")))
    width = len(rows[0])
    for number, row in enumerate(rows, 1):
        if len(row) != width:
            raise ValueError(f"row {number} has {len(row)} cells, the header {width}")
    return len(rows) - 1


def check_timesketch(text):
    lines = text.splitlines()
    for number, line in enumerate(lines, 1):
        record = json.loads(line)
        for field in ("message", "datetime", "timestamp_desc"):
            if not isinstance(record.get(field), str) or not record[field]:
                raise ValueError(f"line {number}: {field} missing or empty")
    return len(lines)


def main(argv):
    kind, path = argv
    with open(path, encoding="utf-8", newline="") as f:
        text = f.read()
    try:
        count = {"sarif": check_sarif, "csv": check_csv, "timesketch": check_timesketch}[kind](text)
    except (ValueError, jsonschema.ValidationError) as e:
        print(f"{kind}: {path}: {e}")
        return 1
    print(f"ok {count}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
