#!/usr/bin/env python3
"""A function with 20 published versions and a 10 MB deployment package, in a moto_server,
for bench/run_collect_bench.sh. Usage: seed_collect_bench.py URL PACKAGE_DIR"""
import io
import json
import os
import random
import sys
import zipfile

import boto3

url, out = sys.argv[1], sys.argv[2]
kw = dict(endpoint_url=url, region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
iam, lam = boto3.client("iam", **kw), boto3.client("lambda", **kw)
rng = random.Random(7)
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
    z.writestr(zipfile.ZipInfo("app.py", date_time=(2026, 11, 27, 8, 0, 0)), "def handler(e, c):\n    return 1\n")
    z.writestr(zipfile.ZipInfo("vendor/blob.bin", date_time=(2026, 11, 27, 8, 0, 0)), rng.randbytes(10 << 20))
with open(os.path.join(out, "bench-fn.zip"), "wb") as f:
    f.write(buf.getvalue())
trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
role = iam.create_role(RoleName="bench-role", AssumeRolePolicyDocument=json.dumps(trust))["Role"]
lam.create_function(FunctionName="bench-fn", Runtime="python3.12", Role=role["Arn"], Handler="app.handler", Code={"ZipFile": buf.getvalue()})
for i in range(20):
    lam.update_function_configuration(FunctionName="bench-fn", Description=f"release {i}")
    lam.publish_version(FunctionName="bench-fn")
print(len(lam.list_versions_by_function(FunctionName="bench-fn")["Versions"]) - 1, "versions")
