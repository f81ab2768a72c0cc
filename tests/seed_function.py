#!/usr/bin/env python3
"""Creates one more function NAME in ACCOUNT and REGION of the organisation seed_accounts.py
made (entered through its OrganizationAccountAccessRole unless it is the caller's,
123456789012), with a role of its own, through the lambda-gaps proxy.
Usage: seed_function.py MOTO_URL GAPS_URL ACCOUNT REGION NAME"""
import io
import json
import sys
import zipfile

import boto3

moto_url, gaps_url, account, region, name = sys.argv[1:6]
keys = dict(aws_access_key_id="testing", aws_secret_access_key="testing")
if account != "123456789012":
    sts = boto3.client("sts", endpoint_url=moto_url, region_name="us-east-1", **keys)
    c = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole", RoleSessionName="seed")["Credentials"]
    keys = dict(aws_access_key_id=c["AccessKeyId"], aws_secret_access_key=c["SecretAccessKey"], aws_session_token=c["SessionToken"])
trust = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                                                            "Action": "sts:AssumeRole"}]})
iam = boto3.client("iam", endpoint_url=moto_url, region_name="us-east-1", **keys)
role = iam.create_role(RoleName=f"{name}-{region}-role", AssumeRolePolicyDocument=trust)["Role"]["Arn"]
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w") as z:
    z.writestr(zipfile.ZipInfo("app.py", date_time=(2026, 11, 27, 8, 0, 0)), "def handler(e, c):\n    return 1\n")
lam = boto3.client("lambda", endpoint_url=gaps_url, region_name=region, **keys)
lam.create_function(FunctionName=name, Runtime="python3.12", Role=role, Handler="app.handler", Code={"ZipFile": buf.getvalue()})
