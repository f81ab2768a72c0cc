#!/usr/bin/env python3
"""Reads back, with boto3, everything containment and recovery change for a function, as
one JSON document: reserved and provisioned concurrency, mapping states, URL auth types,
the role's inline policies, the event invoke config and the resource-policy statement ids.
ACCOUNT REGION: the function of another account (entered through its
OrganizationAccountAccessRole, as seed_accounts.py made it) and region.
Usage: read_state.py ENDPOINT_URL FUNCTION [ACCOUNT REGION]"""
import json
import sys

import boto3

url, name = sys.argv[1], sys.argv[2]
kw = dict(endpoint_url=url, region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
if len(sys.argv) > 4:
    sts = boto3.client("sts", **kw)
    c = sts.assume_role(RoleArn=f"arn:aws:iam::{sys.argv[3]}:role/OrganizationAccountAccessRole", RoleSessionName="read")["Credentials"]
    kw.update(region_name=sys.argv[4], aws_access_key_id=c["AccessKeyId"], aws_secret_access_key=c["SecretAccessKey"],
              aws_session_token=c["SessionToken"])
lam, iam = boto3.client("lambda", **kw), boto3.client("iam", **kw)
config = lam.get_function_configuration(FunctionName=name)
role = config["Role"].split("/")[-1]
state = {"reserved": lam.get_function_concurrency(FunctionName=name).get("ReservedConcurrentExecutions")}
state["provisioned"] = {c["FunctionArn"].split(":")[-1]: c["RequestedProvisionedConcurrentExecutions"]
                        for c in lam.list_provisioned_concurrency_configs(FunctionName=name)["ProvisionedConcurrencyConfigs"]}
state["mappings"] = {m["UUID"]: m["State"] for m in lam.list_event_source_mappings()["EventSourceMappings"]
                     if m["FunctionArn"].split(":")[6] == name}
urls = {}
for qualifier in [None] + [a["Name"] for a in lam.list_aliases(FunctionName=name)["Aliases"]]:
    try:
        args = {"FunctionName": name, **({"Qualifier": qualifier} if qualifier else {})}
        urls[qualifier or "$LATEST"] = lam.get_function_url_config(**args)["AuthType"]
    except lam.exceptions.ResourceNotFoundException:
        pass
state["urls"] = urls
state["inline_policies"] = {p: iam.get_role_policy(RoleName=role, PolicyName=p)["PolicyDocument"]
                            for p in iam.list_role_policies(RoleName=role)["PolicyNames"]}
try:
    eic = lam.get_function_event_invoke_config(FunctionName=name)
    state["event_invoke_config"] = {k: eic[k] for k in ("MaximumRetryAttempts", "MaximumEventAgeInSeconds", "DestinationConfig") if k in eic}
except lam.exceptions.ResourceNotFoundException:
    state["event_invoke_config"] = None
try:
    state["statements"] = sorted(s["Sid"] for s in json.loads(lam.get_policy(FunctionName=name)["Policy"])["Statement"])
except lam.exceptions.ResourceNotFoundException:
    state["statements"] = []
print(json.dumps(state, sort_keys=True))
