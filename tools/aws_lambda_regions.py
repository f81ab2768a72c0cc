#!/usr/bin/env python3
"""Writes data/aws/lambda-regions.json: the regions where AWS Lambda has an endpoint, per
partition, from botocore's endpoints.json (the aws CLI's own list). The shared-role guard of
`contain` asks each of them which functions use a role.

Usage: tools/aws_lambda_regions.py > data/aws/lambda-regions.json
"""
import json
import sys

import botocore.session

endpoints = botocore.session.get_session().get_component("data_loader").load_data("endpoints")
out = {}
for partition in endpoints["partitions"]:
    regions = set(partition.get("regions", {}))
    lam = partition.get("services", {}).get("lambda", {}).get("endpoints", {})
    out[partition["partition"]] = sorted(r for r in lam if r in regions)
json.dump({"generated_by": "tools/aws_lambda_regions.py", "partitions": out}, sys.stdout, indent=1, sort_keys=True)
sys.stdout.write("\n")
