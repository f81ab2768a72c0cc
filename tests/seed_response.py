#!/usr/bin/env python3
"""Seeds the containment scenario on top of seed_moto.py's function "payments" (reserved
concurrency 7, alias live, URL with AuthType NONE, an enabled SQS mapping, inline policy
inline-logs): provisioned concurrency 3 on the alias (through the provisioned-concurrency
proxy, since moto lacks it), a second mapping that was disabled before, and a public
resource-policy statement for the "statements" step to remove.
Usage: seed_response.py MOTO_URL PROXY_URL   (prints the identifiers as JSON)"""
import contextlib
import io
import json
import os
import runpy
import sys

import boto3

moto_url, proxy_url = sys.argv[1], sys.argv[2]
# seed_moto.py in this interpreter (boto3 is imported once), its printed identifiers read back.
printed, argv = io.StringIO(), sys.argv
sys.argv = ["seed_moto.py", moto_url]
with contextlib.redirect_stdout(printed):
    try:
        runpy.run_path(os.path.join(os.path.dirname(os.path.abspath(__file__)), "seed_moto.py"), run_name="__main__")
    except SystemExit as e:
        if e.code:
            raise
sys.argv = argv
seeded = json.loads(printed.getvalue())
kw = dict(region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
lam = boto3.client("lambda", endpoint_url=proxy_url, **kw)
sqs = boto3.client("sqs", endpoint_url=moto_url, **kw)
queue = sqs.create_queue(QueueName="refunds")["QueueUrl"]
queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
mappings = lam.list_event_source_mappings(FunctionName="payments")["EventSourceMappings"]
disabled = [m for m in mappings if m["EventSourceArn"] == queue_arn]
if not disabled:
    disabled = [lam.create_event_source_mapping(EventSourceArn=queue_arn, FunctionName="payments", Enabled=False, BatchSize=5)]
lam.put_provisioned_concurrency_config(FunctionName="payments", Qualifier="live", ProvisionedConcurrentExecutions=3)
try:
    lam.add_permission(FunctionName="payments", StatementId="open-invoke", Action="lambda:InvokeFunction", Principal="*")
except lam.exceptions.ResourceConflictException:
    pass
seeded["disabled_esm_uuid"] = disabled[0]["UUID"]
print(json.dumps(seeded))
