#!/usr/bin/env python3
"""Generates a CloudTrail archive in the AWSLogs/ layout: ordinary account noise plus a
planted compromise of one Lambda function, and the ground truth of what must be found.

The bundled sample (examples/incident) and the benchmark archives both come from here:

  tools/gen_cloudtrail.py --out examples/incident      # the sample (2 days) + examples/incident.expected.json
  tools/gen_cloudtrail.py --out /tmp/big --noise-per-hour 25000 --jobs 2   # ~1 GiB uncompressed
  tools/gen_cloudtrail.py --out /tmp/week --benign --hours 168           # a week of 4 accounts, no attack

--benign writes no incident: ordinary activity of four accounts, with what makes real trails
noisy (pipeline deploys, daily Terraform runs that rewrite role policies and trust, a new
service on day 3, routine failures). Every high or critical finding on it is a false positive.

Output is deterministic for a given set of arguments (seeded RNG, gzip mtime 0).
"""
import argparse
import datetime as dt
import gzip
import json
import os
import random
import sys
import uuid
import zlib
from multiprocessing import Pool

ACCOUNT = "111122223333"
ATTACKER_ACCOUNT = "444455556666"
REGIONS = ["us-east-1", "us-west-2"]
FUNCTIONS = ["payments-processor", "orders-api", "thumbnailer", "report-builder"]
VICTIM = "payments-processor"
ATTACKER_IP = "203.0.113.77"
EXFIL_IP = "198.51.100.23"
CLI_UA = "aws-cli/2.13.5 Python/3.11.4 Linux/5.15.0-1051-aws exe/x86_64.ubuntu.22 prompt/off command/{}"


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def lambda_ua(runtime="python3.12"):
    return ("Boto3/1.34.34 md/Botocore#1.34.34 ua/2.0 os/linux#5.10.209-219.864.amzn2.x86_64 "
            f"md/arch#x86_64 lang/python#3.12.1 md/pyimpl#CPython exec-env/AWS_Lambda_{runtime} "
            "cfg/retry-mode#legacy Botocore/1.34.34")


class Ids:
    def __init__(self, rng):
        self.rng = rng

    def uuid(self):
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def key(self, prefix):
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
        return prefix + "".join(self.rng.choice(alphabet) for _ in range(16))


def iam_user(name, ids_key):
    return {"type": "IAMUser", "principalId": "AIDA" + ids_key[4:], "arn": f"arn:aws:iam::{ACCOUNT}:user/{name}",
            "accountId": ACCOUNT, "accessKeyId": ids_key, "userName": name}


def role_id(role):
    # Deterministic across runs (Python's hash() is salted per process).
    return f"AROA{zlib.crc32(role.encode()) % 10**12:012d}"


def assumed(role, session, key, created):
    return {"type": "AssumedRole", "principalId": f"{role_id(role)}:{session}",
            "arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/{role}/{session}", "accountId": ACCOUNT,
            "accessKeyId": key,
            "sessionContext": {"sessionIssuer": {"type": "Role", "principalId": role_id(role),
                                                 "arn": f"arn:aws:iam::{ACCOUNT}:role/{role}", "accountId": ACCOUNT,
                                                 "userName": role},
                               "webIdFederationData": {},
                               "attributes": {"creationDate": created, "mfaAuthenticated": "false"}}}


def service(name):
    return {"type": "AWSService", "invokedBy": name}


def record(ids, t, source, name, identity, region, req=None, resp=None, ip=None, ua=None,
           error=None, read_only=False, resources=None):
    r = {"eventVersion": "1.09", "userIdentity": identity, "eventTime": iso(t), "eventSource": source,
         "eventName": name, "awsRegion": region, "sourceIPAddress": ip or identity.get("invokedBy", "10.0.0.1"),
         "userAgent": ua or identity.get("invokedBy", "aws-internal/3")}
    if error:
        r["errorCode"] = error
        r["errorMessage"] = (f"User: {identity.get('arn', '')} is not authorized to perform: "
                             f"{source.split('.')[0]}:{name} because no identity-based policy allows the action")
    r["requestParameters"] = req
    r["responseElements"] = None if error else resp
    r["requestID"] = ids.uuid()
    r["eventID"] = ids.uuid()
    r["readOnly"] = read_only
    if resources:
        r["resources"] = resources
    r["eventType"] = "AwsApiCall"
    r["managementEvent"] = True
    r["recipientAccountId"] = ACCOUNT
    r["eventCategory"] = "Management"
    if ip and not ip.endswith("amazonaws.com"):
        r["tlsDetails"] = {"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256",
                           "clientProvidedHostHeader": f"{source.split('.')[0]}.{region}.amazonaws.com"}
    return r


def fn_arn(name, region="us-east-1"):
    return f"arn:aws:lambda:{region}:{ACCOUNT}:function:{name}"


def fn_config(name, rng, **over):
    c = {"functionName": name, "functionArn": fn_arn(name), "runtime": "python3.12",
         "role": f"arn:aws:iam::{ACCOUNT}:role/{name}-role", "handler": "app.handler",
         "codeSize": rng.randint(20000, 90000), "description": "", "timeout": 30, "memorySize": 512,
         "lastModified": "", "codeSha256": "", "version": "$LATEST",
         "tracingConfig": {"mode": "PassThrough"}, "revisionId": "", "state": "Active",
         "lastUpdateStatus": "InProgress", "packageType": "Zip", "architectures": ["x86_64"],
         "ephemeralStorage": {"size": 512}, "snapStartResponse": {"applyOn": "None", "optimizationStatus": "Off"},
         "loggingConfig": {"logFormat": "Text", "logGroup": f"/aws/lambda/{name}"}}
    c.update(over)
    return c


def sha(rng):
    import base64
    return base64.b64encode(rng.getrandbits(256).to_bytes(32, "big")).decode()


def noise_hour(seed, hour_start, per_hour):
    """Ordinary activity of one hour, deterministic per (seed, hour)."""
    rng = random.Random(f"{seed}:{hour_start.isoformat()}")
    ids = Ids(rng)
    out = []
    deploy_key = ids.key("ASIA")
    dev_key = ids.key("AKIA")
    fn_keys = {f: ids.key("ASIA") for f in FUNCTIONS}
    created = iso(hour_start)
    for _ in range(per_hour):
        t = hour_start + dt.timedelta(seconds=rng.random() * 3600)
        region = REGIONS[0] if rng.random() < 0.8 else REGIONS[1]
        k = rng.random()
        if k < 0.22:
            out.append(record(ids, t, "ec2.amazonaws.com", rng.choice(["DescribeInstances", "DescribeSecurityGroups", "DescribeVolumes", "DescribeNetworkInterfaces"]),
                              assumed("AWSServiceRoleForConfig", "AWSConfig-Describe", ids.key("ASIA"), created), region,
                              req={"maxResults": 1000}, ip="config.amazonaws.com", ua="config.amazonaws.com", read_only=True))
        elif k < 0.40:
            fn = rng.choice(FUNCTIONS)
            out.append(record(ids, t, "sts.amazonaws.com", "AssumeRole", service("lambda.amazonaws.com"), region,
                              req={"roleArn": f"arn:aws:iam::{ACCOUNT}:role/{fn}-role", "roleSessionName": fn},
                              resp={"credentials": {"accessKeyId": ids.key("ASIA"), "expiration": "Nov 27, 2026, 9:00:00 PM",
                                                    "sessionToken": "IQoJb3JpZ2luX2VjEXAMPLETOKEN" + ids.key("")}},
                              read_only=True,
                              resources=[{"accountId": ACCOUNT, "type": "AWS::IAM::Role", "ARN": f"arn:aws:iam::{ACCOUNT}:role/{fn}-role"}]))
        elif k < 0.62:
            fn = rng.choice(FUNCTIONS)
            name, src = rng.choice([("Decrypt", "kms.amazonaws.com"), ("GetSecretValue", "secretsmanager.amazonaws.com"),
                                    ("GetParameter", "ssm.amazonaws.com")])
            out.append(record(ids, t, src, name, assumed(f"{fn}-role", fn, fn_keys[fn], created), "us-east-1",
                              req={"secretId": f"{fn}/db"} if name == "GetSecretValue" else {"name": f"/{fn}/config"} if name == "GetParameter" else {"encryptionAlgorithm": "SYMMETRIC_DEFAULT"},
                              ip=f"3.{rng.randint(80, 95)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}", ua=lambda_ua(), read_only=True))
        elif k < 0.80:
            out.append(record(ids, t, "s3.amazonaws.com", rng.choice(["GetBucketAcl", "GetBucketPolicy", "GetBucketLocation", "ListBuckets"]),
                              service("cloudtrail.amazonaws.com") if rng.random() < 0.5 else assumed("AWSServiceRoleForConfig", "AWSConfig-Describe", ids.key("ASIA"), created),
                              region, req={"bucketName": rng.choice(["orders-archive", "app-assets", "audit-logs"])},
                              ip="cloudtrail.amazonaws.com", read_only=True))
        elif k < 0.93:
            fn = rng.choice(FUNCTIONS)
            name = rng.choice(["GetFunction20150331v2", "ListFunctions20150331", "GetFunctionConfiguration20150331v2", "ListVersionsByFunction20150331"])
            out.append(record(ids, t, "lambda.amazonaws.com", name, iam_user("dana.dev", dev_key), "us-east-1",
                              req={"functionName": fn} if "Function2" in name or "Versions" in name else {},
                              ip="192.0.2.44", ua="console.amazonaws.com", read_only=True))
        elif k < 0.97:
            out.append(record(ids, t, "monitoring.amazonaws.com", "DescribeAlarms", assumed("datadog-integration", "datadog", ids.key("ASIA"), created),
                              region, req={"maxRecords": 100}, ip="3.233.146.5", ua="datadog-agent/7", read_only=True))
        else:
            # A monitoring integration probing an API it is not allowed: a few denials, never a burst.
            out.append(record(ids, t, "iam.amazonaws.com", "GetAccountAuthorizationDetails",
                              assumed("datadog-integration", "datadog", ids.key("ASIA"), created), "us-east-1",
                              req={"filter": ["Role"]}, ip="3.233.146.5", ua="datadog-agent/7", error="AccessDenied", read_only=True))
    # The pipeline deploys one function every six hours: code, version, alias.
    if hour_start.hour % 6 == 1:
        fn = FUNCTIONS[(hour_start.hour // 6 + hour_start.day) % len(FUNCTIONS)]
        if fn == VICTIM:
            fn = FUNCTIONS[1]
        t = hour_start + dt.timedelta(minutes=17)
        ident = assumed("github-deploy", f"gha-run-{rng.randint(10**6, 10**7)}", deploy_key, created)
        code_sha = sha(rng)
        ua = "aws-sdk-js/3.478.0 ua/2.0 os/linux#6.5.0 lang/js md/nodejs#20.10.0 api/lambda#3.478.0"
        ip = f"140.82.{rng.randint(112, 127)}.{rng.randint(1, 254)}"
        out.append(record(ids, t, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", ident, "us-east-1",
                          req={"functionName": fn, "publish": False, "dryRun": False, "architectures": ["x86_64"]},
                          resp=fn_config(fn, rng, codeSha256=code_sha, lastModified=iso(t).replace("Z", ".000+0000")), ip=ip, ua=ua))
        out.append(record(ids, t + dt.timedelta(seconds=9), "lambda.amazonaws.com", "PublishVersion20150331", ident, "us-east-1",
                          req={"functionName": fn, "codeSha256": code_sha}, resp=fn_config(fn, rng, codeSha256=code_sha, version=str(hour_start.hour)),
                          ip=ip, ua=ua))
        out.append(record(ids, t + dt.timedelta(seconds=12), "lambda.amazonaws.com", "UpdateAlias20150331", ident, "us-east-1",
                          req={"functionName": fn, "name": "live", "functionVersion": str(hour_start.hour)},
                          resp={"aliasArn": fn_arn(fn) + ":live", "name": "live", "functionVersion": str(hour_start.hour)}, ip=ip, ua=ua))
    return out


def incident(seed, start):
    """The planted compromise, and the findings it must produce."""
    rng = random.Random(f"{seed}:incident")
    ids = Ids(rng)
    t = start
    truth = []
    out = []
    key = ids.key("AKIA")
    who = iam_user("ci-legacy", key)

    def add(rec, *rules):
        out.append(rec)
        for r in rules:
            truth.append((r, rec["eventID"]))
        return rec

    def step(seconds):
        nonlocal t
        t = t + dt.timedelta(seconds=seconds)
        return t

    add(record(ids, step(0), "sts.amazonaws.com", "GetCallerIdentity", who, "us-east-1", req=None,
               ip=ATTACKER_IP, ua=CLI_UA.format("sts.get-caller-identity"), read_only=True))
    burst = []
    for api in ["ListUsers", "ListRoles", "ListPolicies", "GetAccountAuthorizationDetails", "ListGroups",
                "ListAccessKeys", "GetAccountSummary", "ListInstanceProfiles", "ListSAMLProviders",
                "ListOpenIDConnectProviders", "ListServerCertificates", "ListVirtualMFADevices"]:
        burst.append(add(record(ids, step(7), "iam.amazonaws.com", api, who, "us-east-1", req={},
                                ip=ATTACKER_IP, ua=CLI_UA.format("iam." + api.lower()), error="AccessDenied", read_only=True)))
    truth.append(("iam_access_denied_burst", [b["eventID"] for b in burst]))
    add(record(ids, step(20), "lambda.amazonaws.com", "ListFunctions20150331", who, "us-east-1", req={},
               ip=ATTACKER_IP, ua=CLI_UA.format("lambda.list-functions"), read_only=True))
    add(record(ids, step(35), "lambda.amazonaws.com", "GetFunction20150331v2", who, "us-east-1", req={"functionName": VICTIM},
               ip=ATTACKER_IP, ua=CLI_UA.format("lambda.get-function"), read_only=True))
    new_principal = []
    evil_sha = sha(rng)
    r = add(record(ids, step(240), "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", who, "us-east-1",
                   req={"functionName": VICTIM, "publish": False, "dryRun": False},
                   resp=fn_config(VICTIM, rng, codeSha256=evil_sha, lastModified=iso(t).replace("Z", ".000+0000")),
                   ip=ATTACKER_IP, ua=CLI_UA.format("lambda.update-function-code")),
            "lambda_function_code_updated", "lambda_function_code_updated_by_user")
    new_principal.append(r["eventID"])
    layer = f"arn:aws:lambda:us-east-1:{ATTACKER_ACCOUNT}:layer:otel-collector:3"
    r = add(record(ids, step(60), "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", who, "us-east-1",
                   req={"functionName": VICTIM, "handler": "vendor/otel_wrapper.handler", "layers": [layer]},
                   resp=fn_config(VICTIM, rng, handler="vendor/otel_wrapper.handler", codeSha256=evil_sha,
                                  layers=[{"arn": layer, "codeSize": 4311}]),
                   ip=ATTACKER_IP, ua=CLI_UA.format("lambda.update-function-configuration")),
            "lambda_function_configuration_changed", "lambda_function_handler_or_runtime_changed",
            "lambda_layer_added", "lambda_layer_from_other_account")
    new_principal.append(r["eventID"])
    r = add(record(ids, step(30), "lambda.amazonaws.com", "AddPermission20150331v2", who, "us-east-1",
                   req={"functionName": VICTIM, "statementId": "FunctionURLAllowPublicAccess", "action": "lambda:InvokeFunctionUrl",
                        "principal": "*", "functionUrlAuthType": "NONE"},
                   resp={"statement": json.dumps({"Sid": "FunctionURLAllowPublicAccess", "Effect": "Allow", "Principal": "*",
                                                  "Action": "lambda:InvokeFunctionUrl", "Resource": fn_arn(VICTIM),
                                                  "Condition": {"StringEquals": {"lambda:FunctionUrlAuthType": "NONE"}}})},
                   ip=ATTACKER_IP, ua=CLI_UA.format("lambda.add-permission")),
            "lambda_permission_added", "lambda_permission_public")
    new_principal.append(r["eventID"])
    r = add(record(ids, step(12), "lambda.amazonaws.com", "CreateFunctionUrlConfig", who, "us-east-1",
                   req={"functionName": VICTIM, "authType": "NONE", "cors": {"allowOrigins": ["*"], "allowMethods": ["*"]}},
                   resp={"functionUrl": "https://q3v7xexample4kfz.lambda-url.us-east-1.on.aws/", "functionArn": fn_arn(VICTIM),
                         "authType": "NONE", "cors": {"allowOrigins": ["*"], "allowMethods": ["*"]}, "creationTime": iso(t)},
                   ip=ATTACKER_IP, ua=CLI_UA.format("lambda.create-function-url-config")),
            "lambda_function_url_public", "lambda_function_url_cors_wildcard")
    new_principal.append(r["eventID"])
    add(record(ids, step(45), "iam.amazonaws.com", "AttachRolePolicy", who, "us-east-1",
               req={"roleName": f"{VICTIM}-role", "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"},
               ip=ATTACKER_IP, ua=CLI_UA.format("iam.attach-role-policy")),
        "iam_lambda_role_policy_changed", "suspect_iam_permissions_granted")
    r = add(record(ids, step(50), "lambda.amazonaws.com", "CreateFunction20150331", who, "us-east-1",
                   req={"functionName": "cache-warmer", "runtime": "python3.12", "role": f"arn:aws:iam::{ACCOUNT}:role/{VICTIM}-role",
                        "handler": "index.handler", "code": {}, "timeout": 900, "memorySize": 3008, "publish": False},
                   resp=fn_config("cache-warmer", rng, role=f"arn:aws:iam::{ACCOUNT}:role/{VICTIM}-role", handler="index.handler",
                                  timeout=900, memorySize=3008, codeSha256=sha(rng), state="Pending"),
                   ip=ATTACKER_IP, ua=CLI_UA.format("lambda.create-function")),
            "lambda_function_created")
    new_principal.append(r["eventID"])
    r = add(record(ids, step(25), "lambda.amazonaws.com", "CreateEventSourceMapping20150331", who, "us-east-1",
                   req={"functionName": "cache-warmer", "eventSourceArn": f"arn:aws:sqs:us-east-1:{ACCOUNT}:orders", "enabled": True, "batchSize": 10},
                   resp={"uUID": ids.uuid(), "eventSourceArn": f"arn:aws:sqs:us-east-1:{ACCOUNT}:orders", "functionArn": fn_arn("cache-warmer"),
                         "state": "Creating", "batchSize": 10},
                   ip=ATTACKER_IP, ua=CLI_UA.format("lambda.create-event-source-mapping")),
            "lambda_event_source_mapping_changed")
    new_principal.append(r["eventID"])
    r = add(record(ids, step(20), "lambda.amazonaws.com", "DeleteFunctionCodeSigningConfig", who, "us-east-1",
                   req={"functionName": VICTIM}, ip=ATTACKER_IP, ua=CLI_UA.format("lambda.delete-function-code-signing-config")),
            "lambda_code_signing_weakened")
    new_principal.append(r["eventID"])
    truth.append(("lambda_change_by_new_principal", new_principal))
    add(record(ids, step(40), "cloudtrail.amazonaws.com", "PutEventSelectors", who, "us-east-1",
               req={"trailName": "org-trail", "eventSelectors": [{"readWriteType": "All", "includeManagementEvents": True,
                                                                   "dataResources": [], "excludeManagementEventSources": []}]},
               resp={"trailARN": f"arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/org-trail"},
               ip=ATTACKER_IP, ua=CLI_UA.format("cloudtrail.put-event-selectors")),
        "cloudtrail_lambda_data_events_dropped", "suspect_defense_evasion")
    # The backdoored function runs and uses its (now admin) role.
    fkey = ids.key("ASIA")
    fn_ident = assumed(f"{VICTIM}-role", VICTIM, fkey, iso(t))
    add(record(ids, step(300), "iam.amazonaws.com", "CreateUser", fn_ident, "us-east-1", req={"userName": "svc-backup"},
               resp={"user": {"path": "/", "userName": "svc-backup", "userId": "AIDA" + ids.key("")[:17], "arn": f"arn:aws:iam::{ACCOUNT}:user/svc-backup",
                              "createDate": "Nov 26, 2026, 2:25:00 PM"}},
               ip="3.91.172.18", ua=lambda_ua()),
        "iam_write_by_lambda_role", "suspect_iam_identity_created")
    add(record(ids, step(2), "iam.amazonaws.com", "CreateAccessKey", fn_ident, "us-east-1", req={"userName": "svc-backup"},
               resp={"accessKey": {"userName": "svc-backup", "accessKeyId": ids.key("AKIA"), "status": "Active",
                                   "createDate": "Nov 26, 2026, 2:25:02 PM"}},
               ip="3.91.172.18", ua=lambda_ua()),
        "iam_write_by_lambda_role", "suspect_iam_identity_created")
    # Its credentials, read from the environment, replayed from the attacker's host.
    add(record(ids, step(420), "secretsmanager.amazonaws.com", "ListSecrets", fn_ident, "us-east-1", req={"maxResults": 100},
               ip=EXFIL_IP, ua="Boto3/1.28.62 md/Botocore#1.31.62 ua/2.0 os/linux#6.2.0 md/arch#x86_64 lang/python#3.10.12 Botocore/1.31.62", read_only=True),
        "lambda_role_credentials_used_outside_lambda")
    add(record(ids, step(3), "secretsmanager.amazonaws.com", "GetSecretValue", fn_ident, "us-east-1", req={"secretId": "prod/payments/stripe"},
               ip=EXFIL_IP, ua="Boto3/1.28.62 md/Botocore#1.31.62 ua/2.0 os/linux#6.2.0 md/arch#x86_64 lang/python#3.10.12 Botocore/1.31.62", read_only=True),
        "lambda_role_credentials_used_outside_lambda", "suspect_credential_access")
    add(record(ids, step(600), "cloudtrail.amazonaws.com", "StopLogging", who, "us-east-1",
               req={"name": f"arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/org-trail"}, ip=ATTACKER_IP,
               ua=CLI_UA.format("cloudtrail.stop-logging")),
        "cloudtrail_logging_stopped", "suspect_defense_evasion")
    return out, truth


BENIGN_ACCOUNTS = ["111122223333", "222233334444", "333344445555", "444411112222"]
TF_UA = ("APN/1.0 HashiCorp/1.0 Terraform/1.6.6 (+https://www.terraform.io) terraform-provider-aws/5.31.0 "
         "(+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.24.0 os/linux lang/go#1.21.5 md/GOOS#linux")
CI_UA = "aws-sdk-js/3.478.0 ua/2.0 os/linux#6.5.0 lang/js md/nodejs#20.10.0 api/lambda#3.478.0"


def scoped_policy(fn):
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:PutItem"],
         "Resource": f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/{fn}"},
        {"Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
         "Resource": f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:/aws/lambda/{fn}:*"}]})


LAMBDA_TRUST = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole",
     "Condition": {"StringEquals": {"aws:SourceAccount": "ACCOUNT"}}}]})


def benign_hour(seed, hour_start):
    """One hour of one account's ordinary activity beyond noise_hour: IaC and pipeline habits."""
    rng = random.Random(f"{seed}:benign:{hour_start.isoformat()}")
    ids = Ids(rng)
    out = []
    created = iso(hour_start)
    tf = assumed("terraform-apply", f"tf-{rng.randint(10**8, 10**9)}", ids.key("ASIA"), created)
    tf_ip = f"52.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    day = (hour_start - dt.datetime(2026, 11, 25)).days
    # Terraform applies every morning: one function's role policy and trust rewritten (same
    # scoped content), its configuration touched, a tag added.
    if hour_start.hour == 10:
        fn = FUNCTIONS[day % len(FUNCTIONS)]
        role = f"{fn}-role"
        t = hour_start + dt.timedelta(minutes=rng.randint(0, 40))
        out.append(record(ids, t, "iam.amazonaws.com", "PutRolePolicy", tf, "us-east-1",
                          req={"roleName": role, "policyName": f"{fn}-access", "policyDocument": scoped_policy(fn)},
                          ip=tf_ip, ua=TF_UA))
        out.append(record(ids, t + dt.timedelta(seconds=4), "iam.amazonaws.com", "UpdateAssumeRolePolicy", tf, "us-east-1",
                          req={"roleName": role, "policyDocument": LAMBDA_TRUST.replace("ACCOUNT", ACCOUNT)}, ip=tf_ip, ua=TF_UA))
        out.append(record(ids, t + dt.timedelta(seconds=9), "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", tf,
                          "us-east-1", req={"functionName": fn, "memorySize": 512, "timeout": 30,
                                            "environment": {"variables": {"LOG_LEVEL": "info", "TABLE": fn}}},
                          resp=fn_config(fn, rng, codeSha256=sha(rng)), ip=tf_ip, ua=TF_UA))
        out.append(record(ids, t + dt.timedelta(seconds=11), "lambda.amazonaws.com", "TagResource20170331v2", tf, "us-east-1",
                          req={"resource": fn_arn(fn), "tags": {"team": "payments", "managed-by": "terraform"}}, ip=tf_ip, ua=TF_UA))
        # A routine failure: the update collides with the previous one still in progress.
        if rng.random() < 0.3:
            r = record(ids, t + dt.timedelta(seconds=10), "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", tf, "us-east-1",
                       req={"functionName": fn}, ip=tf_ip, ua=TF_UA)
            r["errorCode"] = "ResourceConflictException"
            r["errorMessage"] = "The operation cannot be performed at this time. An update is in progress for resource"
            r["responseElements"] = None
            out.append(r)
    # Day 3: a new service, built by Terraform end to end, then deployed by the pipeline.
    if day == 2 and hour_start.hour == 15:
        fn, role = "invoice-mailer", "invoice-mailer-role"
        t = hour_start + dt.timedelta(minutes=5)
        out.append(record(ids, t, "iam.amazonaws.com", "CreateRole", tf, "us-east-1",
                          req={"roleName": role, "assumeRolePolicyDocument": LAMBDA_TRUST.replace("ACCOUNT", ACCOUNT)},
                          resp={"role": {"path": "/", "roleName": role, "roleId": role_id(role),
                                         "arn": f"arn:aws:iam::{ACCOUNT}:role/{role}", "createDate": "Nov 27, 2026, 3:05:00 PM"}},
                          ip=tf_ip, ua=TF_UA))
        out.append(record(ids, t + dt.timedelta(seconds=3), "iam.amazonaws.com", "PutRolePolicy", tf, "us-east-1",
                          req={"roleName": role, "policyName": f"{fn}-access", "policyDocument": scoped_policy(fn)}, ip=tf_ip, ua=TF_UA))
        out.append(record(ids, t + dt.timedelta(seconds=20), "lambda.amazonaws.com", "CreateFunction20150331", tf, "us-east-1",
                          req={"functionName": fn, "runtime": "python3.12", "role": f"arn:aws:iam::{ACCOUNT}:role/{role}",
                               "handler": "app.handler", "timeout": 30, "memorySize": 256},
                          resp=fn_config(fn, rng, role=f"arn:aws:iam::{ACCOUNT}:role/{role}", codeSha256=sha(rng), state="Pending"),
                          ip=tf_ip, ua=TF_UA))
        out.append(record(ids, t + dt.timedelta(seconds=25), "lambda.amazonaws.com", "AddPermission20150331v2", tf, "us-east-1",
                          req={"functionName": fn, "statementId": "apigw-invoke", "action": "lambda:InvokeFunction",
                               "principal": "apigateway.amazonaws.com",
                               "sourceArn": f"arn:aws:execute-api:us-east-1:{ACCOUNT}:a1b2c3d4e5/*/POST/invoices"},
                          resp={"statement": json.dumps({"Sid": "apigw-invoke", "Effect": "Allow",
                                                         "Principal": {"Service": "apigateway.amazonaws.com"},
                                                         "Action": "lambda:InvokeFunction", "Resource": fn_arn(fn),
                                                         "Condition": {"ArnLike": {"AWS:SourceArn": f"arn:aws:execute-api:us-east-1:{ACCOUNT}:a1b2c3d4e5/*/POST/invoices"}}})},
                          ip=tf_ip, ua=TF_UA))
    # The pipeline's own routine failure: a deploy racing the previous one.
    if hour_start.hour % 6 == 1 and rng.random() < 0.2:
        fn = FUNCTIONS[(hour_start.hour // 6) % len(FUNCTIONS)]
        r = record(ids, hour_start + dt.timedelta(minutes=16), "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
                   assumed("github-deploy", f"gha-run-{rng.randint(10**6, 10**7)}", ids.key("ASIA"), created), "us-east-1",
                   req={"functionName": fn}, ip=f"140.82.{rng.randint(112, 127)}.{rng.randint(1, 254)}", ua=CI_UA)
        r["errorCode"] = "ResourceConflictException"
        r["errorMessage"] = "The operation cannot be performed at this time. An update is in progress for resource"
        r["responseElements"] = None
        out.append(r)
    return out


def file_key(r):
    t = dt.datetime.strptime(r["eventTime"], "%Y-%m-%dT%H:%M:%SZ")
    return r["awsRegion"], t.replace(minute=(t.minute // 15) * 15, second=0)


def write_hour(args):
    global ACCOUNT
    out_dir, seed, hour_start, per_hour, extra = args[:5]
    benign = len(args) > 5 and args[5]
    records = noise_hour(seed, hour_start, per_hour) + extra
    if benign:
        ACCOUNT = benign
        records = noise_hour(f"{seed}:{benign}", hour_start, per_hour) + benign_hour(f"{seed}:{benign}", hour_start)
    files = {}
    for r in records:
        files.setdefault(file_key(r), []).append(r)
    written = 0
    rng = random.Random(f"{seed}:files:{hour_start.isoformat()}")
    for (region, slot), recs in sorted(files.items()):
        recs.sort(key=lambda r: r["eventTime"])
        d = os.path.join(out_dir, "AWSLogs", ACCOUNT, "CloudTrail", region, slot.strftime("%Y/%m/%d"))
        os.makedirs(d, exist_ok=True)
        stamp = (slot + dt.timedelta(minutes=15)).strftime("%Y%m%dT%H%MZ")
        suffix = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") for _ in range(16))
        path = os.path.join(d, f"{ACCOUNT}_CloudTrail_{region}_{stamp}_{suffix}.json.gz")
        data = json.dumps({"Records": recs}, separators=(",", ":")).encode()
        with open(path, "wb") as f:
            f.write(gzip.compress(data, compresslevel=6, mtime=0))
        written += len(data)
    return len(records), written


def run_tasks(tasks, jobs):
    """Writes every hour's files; returns (events, uncompressed bytes)."""
    if jobs > 1:
        with Pool(jobs) as pool:
            results = pool.map(write_hour, tasks)
    else:
        results = [write_hour(t) for t in tasks]
    return sum(n for n, _ in results), sum(b for _, b in results)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", default="lambda-ir-sample-1")
    ap.add_argument("--start", default="2026-11-25T00:00:00Z")
    ap.add_argument("--hours", type=int, default=48)
    ap.add_argument("--noise-per-hour", type=int, default=60)
    ap.add_argument("--incident-at", default="2026-11-26T14:03:00Z")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--truth", help="where the expected findings go (default: OUT.expected.json, beside the archive)")
    ap.add_argument("--benign", action="store_true", help="no incident: four accounts of ordinary activity")
    a = ap.parse_args()
    start = dt.datetime.strptime(a.start, "%Y-%m-%dT%H:%M:%SZ")
    if a.benign:
        tasks = [(a.out, a.seed, start + dt.timedelta(hours=h), a.noise_per_hour, [], acct)
                 for acct in BENIGN_ACCOUNTS for h in range(a.hours)]
        events, size = run_tasks(tasks, a.jobs)
        with open(a.truth or a.out.rstrip("/") + ".expected.json", "w") as f:
            json.dump({"generator": "tools/gen_cloudtrail.py --benign", "seed": a.seed, "events": events,
                       "uncompressed_bytes": size, "accounts": BENIGN_ACCOUNTS, "findings": []}, f, indent=2)
            f.write("\n")
        print(f"{events} benign events, {size} bytes uncompressed -> {a.out}", file=sys.stderr)
        return
    incident_at = dt.datetime.strptime(a.incident_at, "%Y-%m-%dT%H:%M:%SZ")
    planted, truth = incident(a.seed, incident_at)
    by_hour = {}
    for r in planted:
        t = dt.datetime.strptime(r["eventTime"], "%Y-%m-%dT%H:%M:%SZ").replace(minute=0, second=0)
        by_hour.setdefault(t, []).append(r)
    tasks = [(a.out, a.seed, start + dt.timedelta(hours=h), a.noise_per_hour,
              by_hour.get(start + dt.timedelta(hours=h), [])) for h in range(a.hours)]
    events, size = run_tasks(tasks, a.jobs)
    expected = []
    for rule_id, ev in truth:
        expected.append({"rule_id": rule_id, "event_ids": ev if isinstance(ev, list) else [ev]})
    with open(a.truth or a.out.rstrip("/") + ".expected.json", "w") as f:
        json.dump({"generator": "tools/gen_cloudtrail.py", "seed": a.seed, "events": events,
                   "uncompressed_bytes": size, "function": VICTIM, "findings": expected}, f, indent=2)
        f.write("\n")
    print(f"{events} events, {size} bytes uncompressed, {len(expected)} expected findings -> {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
