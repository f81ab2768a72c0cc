#!/usr/bin/env python3
"""Seeds N functions for the containment benchmark, each as the runbook finds it: its own
role with an inline policy, reserved concurrency 5, alias live with provisioned concurrency 2
(through the provisioned-concurrency proxy, since moto lacks it) and an enabled SQS mapping.
Usage: seed_contain_bench.py MOTO_URL PROXY_URL N"""
import io
import json
import sys
import zipfile

import boto3

moto_url, proxy_url, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
kw = dict(region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
iam, sqs = boto3.client("iam", endpoint_url=moto_url, **kw), boto3.client("sqs", endpoint_url=moto_url, **kw)
lam = boto3.client("lambda", endpoint_url=proxy_url, **kw)
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w") as z:
    z.writestr(zipfile.ZipInfo("app.py", date_time=(2026, 11, 27, 8, 0, 0)), "def handler(e, c):\n    return 1\n")
trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
for i in range(n):
    name = f"fn-{i:02d}"
    role = iam.create_role(RoleName=f"{name}-role", AssumeRolePolicyDocument=json.dumps(trust))["Role"]
    iam.put_role_policy(RoleName=f"{name}-role", PolicyName="logs", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "logs:*", "Resource": "*"}]}))
    lam.create_function(FunctionName=name, Runtime="python3.12", Role=role["Arn"], Handler="app.handler", Code={"ZipFile": buf.getvalue()})
    version = lam.publish_version(FunctionName=name)["Version"]
    lam.create_alias(FunctionName=name, Name="live", FunctionVersion=version)
    lam.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=5)
    lam.put_provisioned_concurrency_config(FunctionName=name, Qualifier="live", ProvisionedConcurrentExecutions=2)
    queue = sqs.create_queue(QueueName=f"{name}-queue")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    lam.create_event_source_mapping(EventSourceArn=arn, FunctionName=name, Enabled=True)
print(json.dumps([f"fn-{i:02d}" for i in range(n)]))
