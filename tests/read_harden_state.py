#!/usr/bin/env python3
"""Reads back, with boto3, everything harden changes in the audit scenario, as one JSON
document: each function's resource policy, URL auth types, code signing config and event
invoke configs; the code signing configs that exist; the us-east-1 trail's selectors.
Usage: read_harden_state.py ENDPOINT_URL FUNCTION..."""
import json
import sys

import boto3

url, names = sys.argv[1], sys.argv[2:]
kw = dict(endpoint_url=url, region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
lam, ct = boto3.client("lambda", **kw), boto3.client("cloudtrail", **kw)
state = {"functions": {}}
for name in names:
    f = {}
    try:
        f["policy"] = json.loads(lam.get_policy(FunctionName=name)["Policy"])
    except lam.exceptions.ResourceNotFoundException:
        f["policy"] = None
    f["urls"] = {u["FunctionArn"]: u["AuthType"] for u in lam.list_function_url_configs(FunctionName=name)["FunctionUrlConfigs"]}
    f["code_signing"] = lam.get_function_code_signing_config(FunctionName=name).get("CodeSigningConfigArn", "")
    f["invoke_configs"] = [{k: c.get(k) for k in ("FunctionArn", "DestinationConfig", "MaximumRetryAttempts")}
                           for c in lam.list_function_event_invoke_configs(FunctionName=name)["FunctionEventInvokeConfigs"]]
    state["functions"][name] = f
state["code_signing_configs"] = sorted((c["CodeSigningConfigArn"], c["CodeSigningPolicies"]["UntrustedArtifactOnDeployment"])
                                       for c in lam.list_code_signing_configs()["CodeSigningConfigs"])
selectors = ct.get_event_selectors(TrailName="main")
state["trail"] = {k: selectors.get(k) for k in ("EventSelectors", "AdvancedEventSelectors")}
print(json.dumps(state, sort_keys=True))
