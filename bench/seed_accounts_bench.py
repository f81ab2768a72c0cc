#!/usr/bin/env python3
"""Seeds an organisation for the multi-account audit benchmark: the management account
(123456789012, the caller) and ACCOUNTS-1 members, each with N functions, half in us-east-1 and
half in us-west-2, one execution role per ten functions (an inline policy each), every third
function with a URL (AuthType NONE) and a public statement, every fifth with an event invoke
config, and a trail in us-east-1. A member's resources are made through its
OrganizationAccountAccessRole, as lambda-ir enters it. Function names carry the account's
index (the lambda-gaps proxy keeps invoke configs by name).
Writes an aws CLI config (profile base: the caller's keys; profile member-I: the member's role
from base) to CONFIG, and prints the expected counts as JSON.
Usage: seed_accounts_bench.py MOTO_URL PROXY_URL ACCOUNTS N CONFIG"""
import io
import json
import sys
import zipfile

import boto3

moto_url, proxy_url, accounts, n, config_path = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
caller = dict(aws_access_key_id="testing", aws_secret_access_key="testing")
orgs = boto3.client("organizations", endpoint_url=moto_url, region_name="us-east-1", **caller)
orgs.create_organization(FeatureSet="ALL")
ids = ["123456789012"]
for a in range(1, accounts):
    ids.append(orgs.create_account(Email=f"member{a}@example.com", AccountName=f"member{a}")["CreateAccountStatus"]["AccountId"])
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w") as z:
    z.writestr(zipfile.ZipInfo("app.py", date_time=(2026, 11, 27, 8, 0, 0)), "def handler(e, c):\n    return 1\n")
trust = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                                                            "Action": "sts:AssumeRole"}]})
sts = boto3.client("sts", endpoint_url=moto_url, region_name="us-east-1", **caller)
public = 0
with open(config_path, "w") as config:
    config.write("[profile base]\naws_access_key_id = testing\naws_secret_access_key = testing\nregion = us-east-1\n")
    for a, account in enumerate(ids):
        keys = caller
        if a > 0:
            role = f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole"
            config.write(f"\n[profile member-{a}]\nrole_arn = {role}\nsource_profile = base\nregion = us-east-1\n")
            c = sts.assume_role(RoleArn=role, RoleSessionName="seed")["Credentials"]
            keys = dict(aws_access_key_id=c["AccessKeyId"], aws_secret_access_key=c["SecretAccessKey"],
                        aws_session_token=c["SessionToken"])
        iam = boto3.client("iam", endpoint_url=moto_url, region_name="us-east-1", **keys)
        roles = []
        for r in range((n + 9) // 10):
            arn = iam.create_role(RoleName=f"bench-role-{r}", AssumeRolePolicyDocument=trust)["Role"]["Arn"]
            iam.put_role_policy(RoleName=f"bench-role-{r}", PolicyName="reads", PolicyDocument=json.dumps(
                {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::bench-{r}/*"}]}))
            roles.append(arn)
        for i in range(n):
            region = "us-east-1" if i % 2 == 0 else "us-west-2"
            lam = boto3.client("lambda", endpoint_url=proxy_url, region_name=region, **keys)
            name = f"bench-{a}-fn-{i:02d}"
            lam.create_function(FunctionName=name, Runtime="python3.12", Role=roles[i // 10], Handler="app.handler",
                                Code={"ZipFile": buf.getvalue()})
            if i % 3 == 0:
                lam.create_function_url_config(FunctionName=name, AuthType="NONE")
                lam.add_permission(FunctionName=name, StatementId="public", Action="lambda:InvokeFunctionUrl", Principal="*")
                public += 1
            if i % 5 == 0:
                lam.put_function_event_invoke_config(FunctionName=name, MaximumRetryAttempts=1)
        s3 = boto3.client("s3", endpoint_url=moto_url, region_name="us-east-1", **keys)
        s3.create_bucket(Bucket=f"bench-trail-{account}")
        ct = boto3.client("cloudtrail", endpoint_url=moto_url, region_name="us-east-1", **keys)
        ct.create_trail(Name="bench", S3BucketName=f"bench-trail-{account}")
print(json.dumps({"accounts": ids, "functions": n * accounts, "public_urls": public}))
