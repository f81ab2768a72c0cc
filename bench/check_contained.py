#!/usr/bin/env python3
"""Checks, before a containment time is reported, that every function is contained: reserved
concurrency 0, no provisioned concurrency, every mapping Disabled, the deny-all policy on its
role. Exits 1 naming what is not. Usage: check_contained.py PROXY_URL FUNCTION..."""
import json
import sys

import boto3

kw = dict(endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
lam, iam = boto3.client("lambda", **kw), boto3.client("iam", **kw)
bad = []
for name in sys.argv[2:]:
    if lam.get_function_concurrency(FunctionName=name).get("ReservedConcurrentExecutions") != 0:
        bad.append(f"{name}: reserved concurrency not 0")
    if lam.list_provisioned_concurrency_configs(FunctionName=name)["ProvisionedConcurrencyConfigs"]:
        bad.append(f"{name}: provisioned concurrency left")
    for m in lam.list_event_source_mappings(FunctionName=name)["EventSourceMappings"]:
        if m["State"] != "Disabled":
            bad.append(f"{name}: mapping {m['UUID']} {m['State']}")
    role = lam.get_function_configuration(FunctionName=name)["Role"].split("/")[-1]
    doc = iam.get_role_policy(RoleName=role, PolicyName="DenyAll-IncidentResponse")["PolicyDocument"]
    if doc["Statement"][0]["Effect"] != "Deny" or doc["Statement"][0]["Action"] != "*":
        bad.append(f"{name}: no deny-all on {role}")
print("\n".join(bad) if bad else f"{len(sys.argv) - 2} functions contained")
sys.exit(1 if bad else 0)
