#!/usr/bin/env python3
"""Writes data/aws/response-shapes.json: the shape of every answer lambda-ir parses, taken
from botocore's service models (the aws CLI's own wire specification), so that an answer of
the wrong shape is refused by name (src/aws/response_shape.cpp) instead of being misread.

Only what the JSON of an answer can show is kept: a structure's members (by their name on
the wire), a list's element, a map's value, and each scalar's kind (string, number,
boolean, timestamp, blob). Members bound to headers or the status code are left out.

The operations are the table of src/aws/operations.cpp, read from stdin as a JSON list of
[service, operation] (tests/aws_operations_test.cpp passes it and compares the output with
the committed file), or parsed from that file with --from-source.

Usage: tools/aws_response_shapes.py --from-source > data/aws/response-shapes.json
"""
import json
import re
import sys

import botocore.session

SERVICES = {"kLambda": "lambda", "kIam": "iam", "kSts": "sts", "kCloudTrail": "cloudtrail", "kLogs": "logs",
            "kCloudWatch": "cloudwatch", "kS3": "s3", "kSigner": "signer",
            "kSecurityHub": "securityhub", "kOrganizations": "organizations", "kAthena": "athena",
            "kEc2": "ec2"}
SCALARS = {"string": "string", "blob": "blob", "timestamp": "timestamp", "boolean": "boolean", "integer": "number",
           "long": "number", "double": "number", "float": "number", "bigdecimal": "number", "biginteger": "number"}


def operations_from_source(path):
    text = open(path).read()
    return [[SERVICES[s], name] for s, name in re.findall(r'\{S::(k\w+), "(\w+)"', text)]


def main():
    if "--from-source" in sys.argv:
        ops = operations_from_source(__file__.rsplit("/tools/", 1)[0] + "/src/aws/operations.cpp")
    else:
        ops = json.load(sys.stdin)
    session = botocore.session.get_session()
    shapes, outputs = {}, {}

    def ref(service, shape):
        if shape.type_name in SCALARS:
            return SCALARS[shape.type_name]
        name = f"{service}.{shape.name}"
        if name in shapes:
            return name
        shapes[name] = None  # placeholder: recursive shapes refer to it before it is filled
        if shape.type_name == "structure":
            members = {}
            for member, m in shape.members.items():
                if m.serialization.get("location") in ("header", "headers", "statusCode"):
                    continue
                members[m.serialization.get("name", member)] = ref(service, m)
            shapes[name] = {"type": "structure", "members": members}
        elif shape.type_name == "list":
            shapes[name] = {"type": "list", "member": ref(service, shape.member)}
        elif shape.type_name == "map":
            shapes[name] = {"type": "map", "value": ref(service, shape.value)}
        else:
            raise SystemExit(f"unknown shape type {shape.type_name} in {name}")
        return name

    for service, name in ops:
        op = session.get_service_model(service).operation_model(name)
        output = op.output_shape
        if output is None or output.serialization.get("payload") or any(
                m.type_name == "blob" and m.serialization.get("streaming") for m in output.members.values()):
            continue  # no body, or a raw payload (S3 GetObject): nothing to check
        outputs[f"{service}.{name}"] = ref(service, output)
    json.dump({"generated_by": "tools/aws_response_shapes.py", "outputs": outputs, "shapes": shapes}, sys.stdout,
              indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
