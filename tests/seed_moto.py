#!/usr/bin/env python3
"""Seeds a moto_server with what the AWS-layer tests read back: a Lambda function with
versions, an alias, a resource policy, a URL, an event source mapping, concurrency and
tags; its role with inline and attached policies; log events; metrics and an alarm; a
trail; an S3 prefix. Prints the identifiers the tests need as JSON.
Usage: seed_moto.py URL [PACKAGE_DIR]   (PACKAGE_DIR receives payments.zip)"""
import io
import json
import sys
import zipfile

import boto3

url = sys.argv[1]
kw = dict(endpoint_url=url, region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
iam, lam, logs, cw, ct, s3, sqs = (boto3.client(s, **kw) for s in ("iam", "lambda", "logs", "cloudwatch", "cloudtrail", "s3", "sqs"))

# A deterministic package (fixed timestamps), written before anything can fail, so a package
# server serves the bytes Lambda hashed even when the server was seeded already.
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w") as z:
    z.writestr(zipfile.ZipInfo("app.py", date_time=(2026, 11, 27, 8, 0, 0)),
               "def handler(event, context):\n    return {'ok': True}\n")
if len(sys.argv) > 2:
    with open(f"{sys.argv[2]}/payments.zip", "wb") as f:
        f.write(buf.getvalue())

try:
    existing = iam.get_role(RoleName="payments-role")["Role"]
except iam.exceptions.NoSuchEntityException:
    existing = None
if existing:  # seeded already (tests sharing one moto): report what is there
    fn = lam.get_function(FunctionName="payments")["Configuration"]
    esm = lam.list_event_source_mappings(FunctionName="payments")["EventSourceMappings"][0]
    print(json.dumps({"function_arn": fn["FunctionArn"], "role_arn": existing["Arn"],
                      "policy_arn": "arn:aws:iam::123456789012:policy/ir-test-policy", "esm_uuid": esm["UUID"],
                      "version": "1", "queue_arn": esm["EventSourceArn"]}))
    sys.exit(0)

trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
role = iam.create_role(RoleName="payments-role", AssumeRolePolicyDocument=json.dumps(trust))["Role"]
iam.put_role_policy(RoleName="payments-role", PolicyName="inline-logs",
                    PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "logs:*", "Resource": "*"}]}))
policy = iam.create_policy(PolicyName="ir-test-policy",
                           PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}))["Policy"]
iam.attach_role_policy(RoleName="payments-role", PolicyArn=policy["Arn"])

fn = lam.create_function(FunctionName="payments", Runtime="python3.12", Role=role["Arn"], Handler="app.handler",
                         Code={"ZipFile": buf.getvalue()}, Environment={"Variables": {"DB_PASSWORD": "hunter2"}})
version = lam.publish_version(FunctionName="payments")["Version"]
lam.create_alias(FunctionName="payments", Name="live", FunctionVersion=version)
lam.add_permission(FunctionName="payments", StatementId="s3-invoke", Action="lambda:InvokeFunction",
                   Principal="s3.amazonaws.com", SourceArn="arn:aws:s3:::uploads")
lam.create_function_url_config(FunctionName="payments", AuthType="NONE")
queue = sqs.create_queue(QueueName="orders")["QueueUrl"]
queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
esm = lam.create_event_source_mapping(EventSourceArn=queue_arn, FunctionName="payments", Enabled=True, BatchSize=10)
lam.put_function_concurrency(FunctionName="payments", ReservedConcurrentExecutions=7)
lam.tag_resource(Resource=fn["FunctionArn"], Tags={"team": "payments"})

logs.create_log_group(logGroupName="/aws/lambda/payments")
logs.create_log_stream(logGroupName="/aws/lambda/payments", logStreamName="2026/11/27/[$LATEST]abc")
logs.put_log_events(logGroupName="/aws/lambda/payments", logStreamName="2026/11/27/[$LATEST]abc",
                    logEvents=[{"timestamp": 1795766400000 + i * 1000, "message": f"START RequestId: {i}"} for i in range(5)])

cw.put_metric_data(Namespace="AWS/Lambda", MetricData=[{"MetricName": "Invocations", "Dimensions": [{"Name": "FunctionName", "Value": "payments"}],
                                                        "Value": 3.0, "Unit": "Count"}])
cw.put_metric_alarm(AlarmName="payments-errors", Namespace="AWS/Lambda", MetricName="Errors", Statistic="Sum", Period=60,
                    EvaluationPeriods=1, Threshold=1.0, ComparisonOperator="GreaterThanOrEqualToThreshold",
                    Dimensions=[{"Name": "FunctionName", "Value": "payments"}])

s3.create_bucket(Bucket="trail-archive")
for i in range(3):
    s3.put_object(Bucket="trail-archive", Key=f"AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/27/f{i}.json.gz", Body=f"object {i}".encode())
ct.create_trail(Name="org-trail", S3BucketName="trail-archive")
ct.start_logging(Name="org-trail")

print(json.dumps({"function_arn": fn["FunctionArn"], "role_arn": role["Arn"], "policy_arn": policy["Arn"],
                  "esm_uuid": esm["UUID"], "version": version, "queue_arn": queue_arn}))
