"""One account's share of the audit benchmarks (seed_audit_bench.py, seed_accounts_bench.py):
N functions named NAME_FORMAT.format(i), half in us-east-1 and half in us-west-2, one execution
role per ten functions (an inline policy each), every third function with a URL (AuthType
NONE) and a public statement, every fifth with an event invoke config, and a trail "bench" in
us-east-1 writing to BUCKET. Functions go through the lambda-gaps proxy (code signing and URL
listing are not in moto). Returns (public URLs, roles)."""
import io
import json
import zipfile

import boto3

TRUST = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                                                            "Action": "sts:AssumeRole"}]})


def package():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(zipfile.ZipInfo("app.py", date_time=(2026, 11, 27, 8, 0, 0)), "def handler(e, c):\n    return 1\n")
    return buf.getvalue()


def seed_account(moto_url, proxy_url, keys, n, name_format, bucket):
    iam = boto3.client("iam", endpoint_url=moto_url, region_name="us-east-1", **keys)
    code = package()
    roles = []
    for r in range((n + 9) // 10):
        arn = iam.create_role(RoleName=f"bench-role-{r}", AssumeRolePolicyDocument=TRUST)["Role"]["Arn"]
        iam.put_role_policy(RoleName=f"bench-role-{r}", PolicyName="reads", PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::bench-{r}/*"}]}))
        roles.append(arn)
    public = 0
    for i in range(n):
        region = "us-east-1" if i % 2 == 0 else "us-west-2"
        lam = boto3.client("lambda", endpoint_url=proxy_url, region_name=region, **keys)
        name = name_format.format(i)
        lam.create_function(FunctionName=name, Runtime="python3.12", Role=roles[i // 10], Handler="app.handler", Code={"ZipFile": code})
        if i % 3 == 0:
            lam.create_function_url_config(FunctionName=name, AuthType="NONE")
            lam.add_permission(FunctionName=name, StatementId="public", Action="lambda:InvokeFunctionUrl", Principal="*")
            public += 1
        if i % 5 == 0:
            lam.put_function_event_invoke_config(FunctionName=name, MaximumRetryAttempts=1)
    boto3.client("s3", endpoint_url=moto_url, region_name="us-east-1", **keys).create_bucket(Bucket=bucket)
    boto3.client("cloudtrail", endpoint_url=moto_url, region_name="us-east-1", **keys).create_trail(Name="bench", S3BucketName=bucket)
    return public, len(roles)
