#!/usr/bin/env python3
"""Seeds N functions for the audit benchmark, half in us-east-1 and half in us-west-2: one
execution role per ten functions (an inline policy each), every third function with a URL
(AuthType NONE) and a public statement, every fifth with an event invoke config, and a trail
in us-east-1. Through the lambda-gaps proxy (code signing and URL listing are not in moto).
Prints the expected counts as JSON: what audit must find before its time counts.
Usage: seed_audit_bench.py MOTO_URL PROXY_URL N"""
import io
import json
import sys
import zipfile

import boto3

moto_url, proxy_url, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
kw = dict(aws_access_key_id="testing", aws_secret_access_key="testing")
iam = boto3.client("iam", endpoint_url=moto_url, region_name="us-east-1", **kw)
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w") as z:
    z.writestr(zipfile.ZipInfo("app.py", date_time=(2026, 11, 27, 8, 0, 0)), "def handler(e, c):\n    return 1\n")
trust = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                                                            "Action": "sts:AssumeRole"}]})
roles = []
for r in range((n + 9) // 10):
    arn = iam.create_role(RoleName=f"bench-role-{r}", AssumeRolePolicyDocument=trust)["Role"]["Arn"]
    iam.put_role_policy(RoleName=f"bench-role-{r}", PolicyName="reads", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::bench-{r}/*"}]}))
    roles.append(arn)
public = 0
for i in range(n):
    region = "us-east-1" if i % 2 == 0 else "us-west-2"
    lam = boto3.client("lambda", endpoint_url=proxy_url, region_name=region, **kw)
    name = f"bench-fn-{i:03d}"
    lam.create_function(FunctionName=name, Runtime="python3.12", Role=roles[i // 10], Handler="app.handler",
                        Code={"ZipFile": buf.getvalue()})
    if i % 3 == 0:
        lam.create_function_url_config(FunctionName=name, AuthType="NONE")
        lam.add_permission(FunctionName=name, StatementId="public", Action="lambda:InvokeFunctionUrl", Principal="*")
        public += 1
    if i % 5 == 0:
        lam.put_function_event_invoke_config(FunctionName=name, MaximumRetryAttempts=1)
s3 = boto3.client("s3", endpoint_url=moto_url, region_name="us-east-1", **kw)
s3.create_bucket(Bucket="bench-trail")
ct = boto3.client("cloudtrail", endpoint_url=moto_url, region_name="us-east-1", **kw)
ct.create_trail(Name="bench", S3BucketName="bench-trail")
print(json.dumps({"functions": n, "public_urls": public, "roles": len(roles)}))
