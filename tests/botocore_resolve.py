#!/usr/bin/env python3
"""What botocore (the aws CLI's library) resolves for a profile, environment and config
files: credential method and key id, region, and the Lambda endpoint. Used by
tests/aws_config_test.cpp to compare lambda-ir's resolution with botocore's."""
import json
import os
import sys

spec = json.load(sys.stdin)
os.environ.clear()
os.environ.update(spec["env"])

import botocore.session  # noqa: E402  (after the environment is set)

session = botocore.session.Session(profile=spec.get("profile") or None)
creds = session.get_credentials()
region = session.get_config_variable("region")
client = session.create_client("lambda", region_name=spec.get("region") or region or "us-east-1",
                               aws_access_key_id="x", aws_secret_access_key="y")
print(json.dumps({
    "method": creds.method if creds else None,
    "access_key": creds.access_key if creds and creds.method not in ("assume-role", "assume-role-with-web-identity") else None,
    "region": spec.get("region") or region,  # the CLI's --region wins over configuration
    "lambda_endpoint": client.meta.endpoint_url,
}))
