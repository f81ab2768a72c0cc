"""The findings Security Hub holds, read with boto3: their Id, GeneratorId and severity label,
sorted by Id, as JSON. Usage: read_security_hub.py ENDPOINT_URL"""
import json
import sys

import boto3


def main(endpoint):
    client = boto3.client("securityhub", endpoint_url=endpoint, region_name="us-east-1")
    findings = []
    for page in client.get_paginator("get_findings").paginate():
        findings += [{"Id": f["Id"], "GeneratorId": f["GeneratorId"], "Severity": f["Severity"]["Label"]}
                     for f in page["Findings"]]
    print(json.dumps(sorted(findings, key=lambda f: f["Id"])))


if __name__ == "__main__":
    main(sys.argv[1])
