"""Checks a report file against its format's published definition, as a consumer would read it.

  check_report_format.py sarif FILE      valid against ../shared/schemas/sarif-2.1.0 (jsonschema)
  check_report_format.py csv FILE        RFC 4180 as Python's csv module reads it: same column count on every row
  check_report_format.py timesketch FILE every line a JSON object with Timesketch's required fields
  check_report_format.py html FILE       rendered by headless Chromium: the DOM after its script ran has the
                                         summary, every finding row and the script's count; no element loads
                                         anything; the screenshot is not blank
  check_report_format.py asff FILE       a list that botocore's validator accepts as BatchImportFindings'
                                         Findings (AwsSecurityFinding: required members, types, minimums),
                                         within the documented maximums and finding-type namespaces
  check_report_format.py ocsf FILE       every line an OCSF 1.3.0 Detection Finding: the class's required
                                         attributes with their enum values, only attributes the class has,
                                         and the objects we fill with their own required attributes

Prints "ok N" (results, rows or lines) or the first problem, and exits non-zero on a problem.
"""
import csv
import io
import ipaddress
import re
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
    for run in doc["runs"]:
        prints = [r["partialFingerprints"]["lambdaIrFinding/v2"] for r in run.get("results", [])]
        if len(set(prints)) != len(prints):
            raise ValueError("two results share a fingerprint: code scanning would merge them")
        for r in run.get("results", []):
            # GitHub code scanning takes a result only with a physical location.
            if not any("physicalLocation" in loc for loc in r.get("locations", [])):
                raise ValueError(f"result {r['ruleId']} has no physical location")
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


ASFF_TYPE_NAMESPACES = ("Software and Configuration Checks", "TTPs", "Effects", "Unusual Behaviors",
                        "Sensitive Data Identifications")
ASFF_MAXIMUMS = {"Title": 256, "Description": 1024, "Id": 512, "GeneratorId": 512}


def check_asff(text):
    import botocore.session
    import botocore.validate

    findings = json.loads(text)
    model = botocore.session.get_session().get_service_model("securityhub")
    shape = model.operation_model("BatchImportFindings").input_shape
    report = botocore.validate.ParamValidator().validate({"Findings": findings}, shape)
    if report.has_errors():
        raise ValueError(report.generate_report())
    ids = [f["Id"] for f in findings]
    if len(set(ids)) != len(ids):
        raise ValueError("two findings share an Id: Security Hub would keep only one")
    for number, f in enumerate(findings):
        if not re.fullmatch(r"\d{12}", f["AwsAccountId"]):
            raise ValueError(f"finding {number}: AwsAccountId {f['AwsAccountId']!r} is not an account")
        if not re.fullmatch(r"arn:aws:securityhub:[a-z]{2}(-[a-z]+)+-\d:\d{12}:product/\d{12}/default", f["ProductArn"]):
            raise ValueError(f"finding {number}: ProductArn {f['ProductArn']!r} names no region or account")
        for field, limit in ASFF_MAXIMUMS.items():
            if len(f[field]) > limit:
                raise ValueError(f"finding {number}: {field} longer than {limit}")
        if len(f.get("Remediation", {}).get("Recommendation", {}).get("Text", "")) > 512:
            raise ValueError(f"finding {number}: recommendation longer than 512")
        for t in f.get("Types", []):
            if t.split("/")[0] not in ASFF_TYPE_NAMESPACES:
                raise ValueError(f"finding {number}: type {t} is in no ASFF namespace")
        if not f["ProductArn"].endswith(f":{f['AwsAccountId']}:product/{f['AwsAccountId']}/default"):
            raise ValueError(f"finding {number}: ProductArn {f['ProductArn']} is not the account's own")
    return len(findings)


# OCSF 1.3.0, written from https://schema.ocsf.io/1.3.0/classes/detection_finding and the
# objects it links to (metadata, product, finding_info, analytic, attack, related_event,
# cloud, account, resource_details, evidences, api, file, remediation). The OCSF project
# publishes no JSON Schema file; this holds what the schema requires, plus one rule of ours:
# no attribute outside the 1.3.0 class (a consumer drops or rejects those).
OCSF_DETECTION_FINDING_ATTRIBUTES = [
    "action", "action_id", "activity_id", "activity_name", "category_name", "category_uid", "class_name",
    "class_uid", "cloud", "comment", "confidence", "confidence_id", "confidence_score", "count", "device",
    "disposition", "disposition_id", "duration", "end_time", "enrichments", "evidences", "finding_info",
    "impact", "impact_id", "impact_score", "message", "metadata", "observables", "raw_data", "remediation",
    "resources", "risk_level", "risk_level_id", "risk_score", "severity", "severity_id", "start_time", "status",
    "status_code", "status_detail", "status_id", "time", "timezone_offset", "type_name", "type_uid", "unmapped"]
_TIMESTAMP = {"type": "integer", "minimum": 0}
_NAMED = {"type": "object", "properties": {"uid": {"type": "string"}, "name": {"type": "string"}},
          "anyOf": [{"required": ["uid"]}, {"required": ["name"]}]}
OCSF_DETECTION_FINDING = {
    "type": "object",
    "required": ["activity_id", "category_uid", "class_uid", "type_uid", "severity_id", "time", "metadata",
                 "finding_info", "cloud"],
    "additionalProperties": False,
    "properties": {
        **{name: {} for name in OCSF_DETECTION_FINDING_ATTRIBUTES},
        "activity_id": {"enum": [0, 1, 2, 3, 99]},
        "category_uid": {"const": 2},
        "class_uid": {"const": 2004},
        "type_uid": {"enum": [200400, 200401, 200402, 200403, 200499]},
        "severity_id": {"enum": [0, 1, 2, 3, 4, 5, 6, 99]},
        "status_id": {"enum": [0, 1, 2, 3, 4, 99]},
        "time": _TIMESTAMP, "start_time": _TIMESTAMP, "message": {"type": "string"},
        "metadata": {"type": "object", "required": ["product", "version"], "properties": {
            "version": {"const": "1.3.0"}, "profiles": {"type": "array", "items": {"type": "string"}},
            "product": {"type": "object", "required": ["vendor_name", "name"],
                        "properties": {"vendor_name": {"type": "string", "minLength": 1}}}}},
        "finding_info": {"type": "object", "required": ["uid", "title"], "properties": {
            "uid": {"type": "string", "minLength": 1}, "title": {"type": "string", "minLength": 1},
            "desc": {"type": "string"}, "types": {"type": "array", "items": {"type": "string"}},
            "created_time": _TIMESTAMP, "first_seen_time": _TIMESTAMP,
            "analytic": {"type": "object", "required": ["type_id"], "properties": {"type_id": {"enum": [0, 1, 2, 3, 4, 99]}}},
            "attacks": {"type": "array", "items": {
                "type": "object", "anyOf": [{"required": ["technique"]}, {"required": ["sub_technique"]}, {"required": ["tactic"]}],
                "properties": {"technique": _NAMED, "sub_technique": _NAMED, "tactic": _NAMED}}},
            "related_events": {"type": "array", "items": {"type": "object", "required": ["uid"]}}}},
        "cloud": {"type": "object", "required": ["provider"], "properties": {
            "provider": {"type": "string"}, "region": {"type": "string"},
            "account": {"type": "object", "properties": {"uid": {"type": "string"}, "type_id": {"enum": [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 99]}}}}},
        "resources": {"type": "array", "items": {"type": "object", "anyOf": [{"required": ["uid"]}, {"required": ["name"]}],
                                                 "properties": {"cloud_partition": {"enum": ["aws", "aws-cn", "aws-us-gov"]}}}},
        "evidences": {"type": "array", "items": {"type": "object", "minProperties": 1, "properties": {
            "api": {"type": "object", "required": ["operation"],
                    "properties": {"request": {"type": "object", "required": ["uid"]}}},
            "actor": {"type": "object", "minProperties": 1},
            "src_endpoint": {"type": "object", "minProperties": 1},
            "file": {"type": "object", "required": ["name", "type_id"]},
            "data": {"type": "object"}}}},
        "remediation": {"type": "object", "required": ["desc"],
                        "properties": {"references": {"type": "array", "items": {"type": "string"}}}},
        "unmapped": {"type": "object"},
    },
}


def check_ocsf(text):
    lines = text.splitlines()
    uids = set()
    for number, line in enumerate(lines, 1):
        event = json.loads(line)
        try:
            jsonschema.validate(event, OCSF_DETECTION_FINDING, cls=jsonschema.Draft7Validator)
        except jsonschema.ValidationError as e:
            raise ValueError(f"line {number}: {e.message} at {'/'.join(map(str, e.absolute_path))}")
        if event["type_uid"] != event["class_uid"] * 100 + event["activity_id"]:
            raise ValueError(f"line {number}: type_uid is not class_uid * 100 + activity_id")
        for evidence in event.get("evidences", []):
            ip = evidence.get("src_endpoint", {}).get("ip")
            if ip is not None:
                try:
                    ipaddress.ip_address(ip)
                except ValueError:
                    raise ValueError(f"line {number}: src_endpoint.ip {ip!r} is not an IP address (OCSF ip_t)")
        if event["finding_info"]["uid"] in uids:
            raise ValueError(f"line {number}: finding_info.uid repeats an earlier finding's")
        uids.add(event["finding_info"]["uid"])
    return len(lines)


def png_pixels(data):
    """(width, height, rows of RGB(A) bytes) of an 8-bit, non-interlaced RGB or RGBA PNG."""
    import struct
    import zlib

    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    at, idat = 8, b""
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        chunk = data[at + 8:at + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunk)
            assert depth == 8 and colour in (2, 6) and interlace == 0, f"PNG kind {depth}/{colour}/{interlace}"
        elif kind == b"IDAT":
            idat += chunk
        at += 12 + length
    raw, bpp = zlib.decompress(idat), 4 if colour == 6 else 3
    stride, rows, prev = width * bpp, [], bytearray(width * bpp)
    for y in range(height):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, rows, bpp


def check_html(text, path):
    import shutil
    import subprocess
    import tempfile

    if re.search(r"<(script|img|link|iframe|object|embed)[^>]+(src|href)=", text, re.I) or "url(" in text:
        raise ValueError("an element loads something")
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        raise ValueError("chromium is not installed (scripts/setup.sh installs it)")
    flags = [browser, "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1280,1400",
             "--user-data-dir=" + tempfile.mkdtemp()]
    url = "file://" + os.path.abspath(path)
    dom = subprocess.run(flags + ["--dump-dom", url], capture_output=True, text=True, timeout=120).stdout
    rows = dom.count('<tr class="finding"')
    for needed in ("<h2>Incident summary</h2>", f"of {rows} shown"):
        if needed not in dom:
            raise ValueError(f"the rendered DOM lacks {needed!r}")
    with tempfile.TemporaryDirectory() as tmp:
        shot = os.path.join(tmp, "shot.png")
        subprocess.run(flags + ["--screenshot=" + shot, url], capture_output=True, timeout=120)
        with open(shot, "rb") as f:
            width, height, pixels, bpp = png_pixels(f.read())
    colours, inked = set(), 0
    for row in pixels:
        for x in range(0, width * bpp, bpp * 4):  # every 4th pixel is enough to judge
            px = row[x:x + 3]
            colours.add(px)
            inked += px != b"\xff\xff\xff"
    if len(colours) < 8 or inked < (width // 4) * height // 20:
        raise ValueError(f"the screenshot is blank: {len(colours)} colours, {inked} inked samples")
    return rows


def main(argv):
    kind, path = argv
    with open(path, encoding="utf-8", newline="") as f:
        text = f.read()
    try:
        if kind == "html":
            count = check_html(text, path)
        else:
            count = {"sarif": check_sarif, "csv": check_csv, "timesketch": check_timesketch,
                     "asff": check_asff, "ocsf": check_ocsf}[kind](text)
    except (ValueError, jsonschema.ValidationError) as e:
        print(f"{kind}: {path}: {e}")
        return 1
    print(f"ok {count}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
