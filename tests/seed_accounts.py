#!/usr/bin/env python3
"""Seeds an AWS Organization in moto for `audit --accounts`: the management account
(123456789012, the caller) and four members created with CreateAccount (moto gives them
random ids): beta, gamma, delta (the test denies AssumeRole into it: an account without the
role) and omega (closed: ListAccounts shows it, not ACTIVE). Each member's resources are made
with credentials of its OrganizationAccountAccessRole, assumed as lambda-ir assumes it, so
they live in that account. Functions are created through the lambda-gaps proxy (URL listing).

- 123456789012: payments (us-east-1) with a public URL
- beta: beta-api (us-east-1) with a public URL; beta-worker (us-west-2), none
- gamma: gamma-job (us-west-2) whose resource policy lets anyone invoke
- delta: delta-fn (us-east-1), never read

Prints {"beta": ID, "gamma": ID, "delta": ID, "omega": ID}.
Usage: seed_accounts.py MOTO_URL GAPS_URL"""
import io
import json
import sys
import zipfile

import boto3

moto_url, gaps_url = sys.argv[1], sys.argv[2]
caller = dict(aws_access_key_id="testing", aws_secret_access_key="testing")
orgs = boto3.client("organizations", endpoint_url=moto_url, region_name="us-east-1", **caller)
orgs.create_organization(FeatureSet="ALL")
ids = {}
for name in ("beta", "gamma", "delta", "omega"):
    ids[name] = orgs.create_account(Email=f"{name}@example.com", AccountName=name)["CreateAccountStatus"]["AccountId"]
orgs.close_account(AccountId=ids["omega"])

buf = io.BytesIO()
with zipfile.ZipFile(buf, "w") as z:
    z.writestr(zipfile.ZipInfo("app.py", date_time=(2026, 11, 27, 8, 0, 0)), "def handler(e, c):\n    return 1\n")
trust = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                                                            "Action": "sts:AssumeRole"}]})


def keys_of(account):
    if account == "123456789012":
        return caller
    sts = boto3.client("sts", endpoint_url=moto_url, region_name="us-east-1", **caller)
    c = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole", RoleSessionName="seed")["Credentials"]
    return dict(aws_access_key_id=c["AccessKeyId"], aws_secret_access_key=c["SecretAccessKey"], aws_session_token=c["SessionToken"])


def function(account, name, region, url=False, public=False):
    keys = keys_of(account)
    iam = boto3.client("iam", endpoint_url=moto_url, region_name="us-east-1", **keys)
    role = iam.create_role(RoleName=f"{name}-role", AssumeRolePolicyDocument=trust)["Role"]["Arn"]
    lam = boto3.client("lambda", endpoint_url=gaps_url, region_name=region, **keys)
    lam.create_function(FunctionName=name, Runtime="python3.12", Role=role, Handler="app.handler", Code={"ZipFile": buf.getvalue()})
    if url:
        lam.create_function_url_config(FunctionName=name, AuthType="NONE")
        lam.add_permission(FunctionName=name, StatementId="public-url", Action="lambda:InvokeFunctionUrl", Principal="*",
                           FunctionUrlAuthType="NONE")
    if public:
        lam.add_permission(FunctionName=name, StatementId="anyone", Action="lambda:InvokeFunction", Principal="*")


function("123456789012", "payments", "us-east-1", url=True)
function(ids["beta"], "beta-api", "us-east-1", url=True)
function(ids["beta"], "beta-worker", "us-west-2")
function(ids["gamma"], "gamma-job", "us-west-2", public=True)
function(ids["delta"], "delta-fn", "us-east-1")
print(json.dumps(ids))
