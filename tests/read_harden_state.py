#!/usr/bin/env python3
"""Reads back, with boto3, everything harden changes in the audit scenario, as one JSON
document: each function's resource policy (and its aliases'), URL auth types, code signing config and event
invoke configs, its role, aliases and versions (with their roles); the code signing configs that
exist, with the profile versions they trust (the lambda_ir_release profile's current one, which
moto draws at random, as "lambda_ir_release/<current>"); that profile's status and platform;
the us-east-1 trail's selectors; every role named *-own-role (own-role's) in full.
Usage: read_harden_state.py ENDPOINT_URL FUNCTION..."""
import json
import sys

import boto3

url, names = sys.argv[1], sys.argv[2:]
kw = dict(endpoint_url=url, region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
lam, ct, iam = boto3.client("lambda", **kw), boto3.client("cloudtrail", **kw), boto3.client("iam", **kw)
signer = boto3.client("signer", **kw)
try:
    profile = signer.get_signing_profile(profileName="lambda_ir_release")
except signer.exceptions.ResourceNotFoundException:
    profile = None
state = {"functions": {}}


def policy_of(name, qualifier=None):
    """The policy with its statements by Sid: AddPermission appends, so a statement put back
    comes last, and a policy's statements have no meaningful order."""
    try:
        policy = json.loads(lam.get_policy(FunctionName=name, **({"Qualifier": qualifier} if qualifier else {}))["Policy"])
    except lam.exceptions.ResourceNotFoundException:
        return None
    policy["Statement"] = sorted(policy["Statement"], key=lambda s: s.get("Sid", ""))
    return policy



for name in names:
    f = {}
    f["policy"] = policy_of(name)
    f["urls"] = {u["FunctionArn"]: u["AuthType"] for u in lam.list_function_url_configs(FunctionName=name)["FunctionUrlConfigs"]}
    f["code_signing"] = lam.get_function_code_signing_config(FunctionName=name).get("CodeSigningConfigArn", "")
    f["invoke_configs"] = [{k: c.get(k) for k in ("FunctionArn", "DestinationConfig", "MaximumRetryAttempts")}
                           for c in lam.list_function_event_invoke_configs(FunctionName=name)["FunctionEventInvokeConfigs"]]
    f["role"] = lam.get_function_configuration(FunctionName=name)["Role"]
    f["aliases"] = {a["Name"]: a["FunctionVersion"] for a in lam.list_aliases(FunctionName=name)["Aliases"]}
    f["alias_policies"] = {alias: policy_of(name, alias) for alias in f["aliases"]}
    f["versions"] = {v["Version"]: v["Role"] for v in lam.list_versions_by_function(FunctionName=name)["Versions"]}
    state["functions"][name] = f
current = profile["profileVersionArn"] if profile else None


def trusted(arn):
    return "lambda_ir_release/<current>" if arn == current else arn


state["code_signing_configs"] = sorted((c["CodeSigningConfigArn"], c["CodeSigningPolicies"]["UntrustedArtifactOnDeployment"],
                                        [trusted(a) for a in c["AllowedPublishers"]["SigningProfileVersionArns"]])
                                       for c in lam.list_code_signing_configs()["CodeSigningConfigs"])
state["signing_profile"] = {k: profile[k] for k in ("status", "platformId")} if profile else None
selectors = ct.get_event_selectors(TrailName="main")
state["trail"] = {k: selectors.get(k) for k in ("EventSelectors", "AdvancedEventSelectors")}
state["own_roles"] = {}
for role in iam.list_roles()["Roles"]:
    name = role["RoleName"]
    if not name.endswith("-own-role"):
        continue
    state["own_roles"][name] = {
        "trust": role["AssumeRolePolicyDocument"],
        "inline": {p: iam.get_role_policy(RoleName=name, PolicyName=p)["PolicyDocument"] for p in iam.list_role_policies(RoleName=name)["PolicyNames"]},
        "attached": [a["PolicyArn"] for a in iam.list_attached_role_policies(RoleName=name)["AttachedPolicies"]],
        "tags": {t["Key"]: t["Value"] for t in iam.list_role_tags(RoleName=name)["Tags"]},
    }
print(json.dumps(state, sort_keys=True))
