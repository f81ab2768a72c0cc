#!/usr/bin/env python3
"""Seeds the audit scenario: each posture check once positive and once negative, across two
regions. Through the lambda-gaps proxy (code signing configs and ListFunctionUrlConfigs are not
in moto); everything else is moto's.

- clean (us-east-1): its own role (trusted by Lambda alone, a narrow inline policy, a
  permissions boundary), code signing Enforce, no environment, two subnets, an on-failure
  destination, an approved layer, an S3 permission for a bucket of the account with SourceArn
  and SourceAccount, logs kept 365 days, invocations logged by the trail's selector; an alias
  prod whose own policy lets EventBridge invoke for one rule of the account.
- legacy (us-east-1) and legacy-b (us-west-2): one role for both (shared across regions), trusted
  also by EC2 and another account, a policy allowing every action attached; python3.7; code signing Warn; a
  URL without auth and CORS * with credentials; a public statement; DB_PASSWORD in plain text;
  one subnet; the layer's old version (only the new one is approved); logs kept 7 days; an S3
  permission for a bucket the account does not own, without SourceAccount (legacy); an alias
  blue whose own policy lets anyone invoke (legacy-b).
  (A foreign layer is config_analysis' check, tested on cases: moto refuses layers of other
  accounts.)
- worker (us-east-1): a role granting dynamodb:* without the boundary the account uses; no code
  signing; a URL with AWS_IAM; no environment; an S3 permission for a bucket deleted since, with
  the account's SourceAccount.
- moto keeps neither KMSKeyArn nor DeadLetterConfig: their negatives are unit tests
  (audit_unit_test.cpp).
- A trail in us-east-1 (single region, logging) whose advanced selector logs clean's
  invocations only; none in us-west-2.
Usage: seed_audit.py MOTO_URL PROXY_URL   (prints the identifiers as JSON)"""
import io
import json
import sys
import zipfile

import boto3

moto_url, proxy_url = sys.argv[1], sys.argv[2]
ACCOUNT = "123456789012"


def client(service, region="us-east-1", url=moto_url):
    return boto3.client(service, endpoint_url=url, region_name=region, aws_access_key_id="testing", aws_secret_access_key="testing")


iam, ec2, sqs, s3, ct, logs = (client(s) for s in ("iam", "ec2", "sqs", "s3", "cloudtrail", "logs"))
lam = client("lambda", url=proxy_url)
lam_west = client("lambda", "us-west-2", proxy_url)
ec2_west, logs_west = client("ec2", "us-west-2"), client("logs", "us-west-2")

buf = io.BytesIO()
with zipfile.ZipFile(buf, "w") as z:
    z.writestr(zipfile.ZipInfo("app.py", date_time=(2026, 11, 27, 8, 0, 0)), "def handler(event, context):\n    return 1\n")
code = {"ZipFile": buf.getvalue()}


def trust(*extra):
    principal = {"Service": ["lambda.amazonaws.com"]}
    for kind, value in extra:
        principal.setdefault(kind, [])
        principal[kind].append(value)
    return json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}]})


def doc(action, resource):
    return json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": action, "Resource": resource}]})


boundary = iam.create_policy(PolicyName="lambda-boundary", PolicyDocument=doc(["s3:*", "dynamodb:*", "logs:*"], "*"))["Policy"]["Arn"]
clean_role = iam.create_role(RoleName="clean-role", AssumeRolePolicyDocument=trust(), PermissionsBoundary=boundary)["Role"]["Arn"]
iam.put_role_policy(RoleName="clean-role", PolicyName="reads", PolicyDocument=doc("s3:GetObject", "arn:aws:s3:::orders/*"))
legacy_role = iam.create_role(RoleName="legacy-role",
                              AssumeRolePolicyDocument=trust(("Service", "ec2.amazonaws.com"), ("AWS", "arn:aws:iam::210987654321:root")))["Role"]["Arn"]
# moto loads no AWS managed policy unless told to: an own copy of AdministratorAccess's document.
admin = iam.create_policy(PolicyName="admin-all", PolicyDocument=doc("*", "*"))["Policy"]["Arn"]
iam.attach_role_policy(RoleName="legacy-role", PolicyArn=admin)
worker_role = iam.create_role(RoleName="worker-role", AssumeRolePolicyDocument=trust())["Role"]["Arn"]
iam.put_role_policy(RoleName="worker-role", PolicyName="tables", PolicyDocument=doc("dynamodb:*", f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/jobs"))

vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
subnet_a = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24", AvailabilityZone="us-east-1a")["Subnet"]["SubnetId"]
subnet_b = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.2.0/24", AvailabilityZone="us-east-1b")["Subnet"]["SubnetId"]
group = ec2.create_security_group(GroupName="fn", Description="fn", VpcId=vpc)["GroupId"]
vpc_west = ec2_west.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
subnet_west = ec2_west.create_subnet(VpcId=vpc_west, CidrBlock="10.1.1.0/24", AvailabilityZone="us-west-2a")["Subnet"]["SubnetId"]
group_west = ec2_west.create_security_group(GroupName="fn", Description="fn", VpcId=vpc_west)["GroupId"]
dlq = sqs.get_queue_attributes(QueueUrl=sqs.create_queue(QueueName="clean-dlq")["QueueUrl"], AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
old_layer = lam.publish_layer_version(LayerName="shared-libs", Content={"ZipFile": buf.getvalue()})["LayerVersionArn"]
layer = lam.publish_layer_version(LayerName="shared-libs", Content={"ZipFile": buf.getvalue()})["LayerVersionArn"]

enforce = lam.create_code_signing_config(Description="enforce", AllowedPublishers={"SigningProfileVersionArns": [
    f"arn:aws:signer:us-east-1:{ACCOUNT}:/signing-profiles/release/abcdef0123"]},
    CodeSigningPolicies={"UntrustedArtifactOnDeployment": "Enforce"})["CodeSigningConfig"]["CodeSigningConfigArn"]
warn = lam.create_code_signing_config(Description="warn", AllowedPublishers={"SigningProfileVersionArns": [
    f"arn:aws:signer:us-east-1:{ACCOUNT}:/signing-profiles/release/abcdef0123"]},
    CodeSigningPolicies={"UntrustedArtifactOnDeployment": "Warn"})["CodeSigningConfig"]["CodeSigningConfigArn"]

lam.create_function(FunctionName="clean", Runtime="python3.12", Role=clean_role, Handler="app.handler", Code=code,
                    VpcConfig={"SubnetIds": [subnet_a, subnet_b], "SecurityGroupIds": [group]}, Layers=[layer])
lam.put_function_event_invoke_config(FunctionName="clean", DestinationConfig={"OnFailure": {"Destination": dlq}})
lam.put_function_code_signing_config(FunctionName="clean", CodeSigningConfigArn=enforce)
lam.add_permission(FunctionName="clean", StatementId="s3-uploads", Action="lambda:InvokeFunction", Principal="s3.amazonaws.com",
                   SourceArn="arn:aws:s3:::uploads", SourceAccount=ACCOUNT)

lam.create_function(FunctionName="legacy", Runtime="python3.7", Role=legacy_role, Handler="app.handler", Code=code,
                    Environment={"Variables": {"DB_PASSWORD": "hunter2"}},
                    VpcConfig={"SubnetIds": [subnet_a], "SecurityGroupIds": [group]}, Layers=[old_layer])
lam.put_function_code_signing_config(FunctionName="legacy", CodeSigningConfigArn=warn)
lam.create_function_url_config(FunctionName="legacy", AuthType="NONE",
                               Cors={"AllowOrigins": ["*"], "AllowCredentials": True, "AllowMethods": ["GET"]})
# Without FunctionUrlAuthType: moto writes it into the statement as a key of its own, where AWS
# writes a condition (lambda:FunctionUrlAuthType), which harden --undo rightly refuses to guess.
lam.add_permission(FunctionName="legacy", StatementId="public-url", Action="lambda:InvokeFunctionUrl", Principal="*")
lam_west.create_function(FunctionName="legacy-b", Runtime="python3.12", Role=legacy_role, Handler="app.handler", Code=code,
                         VpcConfig={"SubnetIds": [subnet_west], "SecurityGroupIds": [group_west]})
lam_west.put_function_code_signing_config(FunctionName="legacy-b", CodeSigningConfigArn=enforce)

lam.create_function(FunctionName="worker", Runtime="nodejs20.x", Role=worker_role, Handler="index.handler", Code=code)
lam.create_function_url_config(FunctionName="worker", AuthType="AWS_IAM")

logs.create_log_group(logGroupName="/aws/lambda/clean")
logs.put_retention_policy(logGroupName="/aws/lambda/clean", retentionInDays=365)
logs.create_log_group(logGroupName="/aws/lambda/legacy")
logs.put_retention_policy(logGroupName="/aws/lambda/legacy", retentionInDays=7)
logs_west.create_log_group(logGroupName="/aws/lambda/legacy-b")

lam.add_permission(FunctionName="legacy", StatementId="s3-exports", Action="lambda:InvokeFunction", Principal="s3.amazonaws.com",
                   SourceArn="arn:aws:s3:::old-exports")
lam.add_permission(FunctionName="worker", StatementId="s3-retired", Action="lambda:InvokeFunction", Principal="s3.amazonaws.com",
                   SourceArn="arn:aws:s3:::retired-reports", SourceAccount=ACCOUNT)
# Aliases' own policies (the lambda-gaps proxy keeps them per qualifier, as Lambda does).
lam_west.create_alias(FunctionName="legacy-b", Name="blue", FunctionVersion=lam_west.publish_version(FunctionName="legacy-b")["Version"])
lam_west.add_permission(FunctionName="legacy-b", Qualifier="blue", StatementId="alias-public", Action="lambda:InvokeFunction",
                        Principal="*")
lam.create_alias(FunctionName="clean", Name="prod", FunctionVersion=lam.publish_version(FunctionName="clean")["Version"])
lam.add_permission(FunctionName="clean", Qualifier="prod", StatementId="nightly", Action="lambda:InvokeFunction",
                   Principal="events.amazonaws.com", SourceArn=f"arn:aws:events:us-east-1:{ACCOUNT}:rule/nightly")

s3.create_bucket(Bucket="uploads")
s3.create_bucket(Bucket="trail-bucket")
ct.create_trail(Name="main", S3BucketName="trail-bucket")
clean_arn = f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:clean"
ct.put_event_selectors(TrailName="main", AdvancedEventSelectors=[
    {"Name": "management", "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}]},
    {"Name": "clean invocations", "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Data"]},
                                                     {"Field": "resources.type", "Equals": ["AWS::Lambda::Function"]},
                                                     {"Field": "resources.ARN", "StartsWith": [clean_arn]}]}])
ct.start_logging(Name="main")

print(json.dumps({"subnet_a": subnet_a, "subnet_b": subnet_b, "subnet_west": subnet_west, "enforce": enforce, "warn": warn,
                  "layer": layer, "old_layer": old_layer, "dlq": dlq}))
