#!/usr/bin/env python3
"""A loopback proxy in front of moto_server (or another proxy) that a test steers, to try
lambda-ir as a responder with a half-provisioned role and against hostile answers:

- deny: operations answered with the service's real AccessDenied error (Lambda: 403 with
  x-amzn-ErrorType AccessDeniedException and the "User: ... is not authorized to perform:
  lambda:X on resource: ... because no identity-based policy allows the lambda:X action"
  message; IAM, STS, CloudWatch: the query protocol's 403 ErrorResponse with Code
  AccessDenied; CloudTrail, Logs: 400 with __type AccessDeniedException; EC2: 403
  UnauthorizedOperation in its <Response><Errors> shape), never forwarded;
- unsupported: operations answered as an emulator that lacks them answers (404, an HTML page);
- answers: operations answered with canned bodies, in turn (cycling), never forwarded: the
  crafted answers (an array where an object belongs, pagination tokens that alternate);
- a log of every operation asked, by its IAM action name (lambda:GetFunction), in order, and
  a timeline of each with when it arrived, when its answer left, and its status (benchmarks).

Operations are recognised by botocore's service models (method and URI template for the
REST services Lambda, Signer and S3, told apart by the credential scope; X-Amz-Target for json,
Action for query). moto lacks IAM's
SimulatePrincipalPolicy: this proxy answers it in the real XML shape, "allowed" unless the
action is denied here.

- deny_if: an operation denied only when a query-protocol parameter has a value
  ({"action": "sts:AssumeRole", "param": "RoleArn", "value": ARN}: one account's role);
- a log of each query-protocol request's parameters (POST /_proxy/forms: [{"action", "form"}]).

Control: POST /_proxy/rules {"deny": [ACTION...], "unsupported": [ACTION...],
"deny_if": [{"action", "param", "value"}...],
"answers": {ACTION: [{"status": N, "body": TEXT, "headers": {...}}...]}}; POST /_proxy/reset;
POST /_proxy/log; POST /_proxy/timeline; POST /_proxy/forms. Usage: control_proxy.py UPSTREAM_URL   (prints the port)
"""
import json
import re
import sys
import threading
import time
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler

import botocore.session

import relay

upstream = urllib.parse.urlparse(sys.argv[1])
lock = threading.Lock()
rules = {"deny": set(), "unsupported": set(), "answers": {}, "deny_if": []}
forms = []  # {"action", "form"} of each query-protocol request
turns = {}  # action -> answers given
log = []
timeline = []  # {"action", "start", "end", "status"}, times in seconds since the epoch

IAM_PREFIX = {"lambda": "lambda", "iam": "iam", "sts": "sts", "cloudtrail": "cloudtrail", "logs": "logs",
              "monitoring": "cloudwatch", "s3": "s3", "ec2": "ec2"}
ACTION_NAME = {"lambda:GetLayerVersionByArn": "lambda:GetLayerVersion", "s3:ListObjectsV2": "s3:ListBucket",
               "s3:ListBuckets": "s3:ListAllMyBuckets"}


def build_routes():
    """The REST services' routes, by the signing name of their credential scope."""
    session = botocore.session.get_session()
    routes = {}  # signing name -> [(method, path regex, required query, literal length, action)]
    for service, prefix in (("lambda", "lambda"), ("signer", "signer"), ("s3", "s3"), ("securityhub", "securityhub")):
        model = session.get_service_model(service)
        table = routes.setdefault(service, [])
        for name in model.operation_names:
            http = model.operation_model(name).http
            path, _, query = http["requestUri"].partition("?")
            pattern = re.sub(r"\\\{[^}]+\\\+\\\}", "(.+)", re.escape(path))
            pattern = re.sub(r"\\\{[^}]+\\\}", "([^/]+)", pattern)
            literal = len(re.sub(r"\{[^}]+\}", "", path))
            table.append((http["method"], re.compile(pattern + "$"), dict(urllib.parse.parse_qsl(query)), literal,
                          ACTION_NAME.get(f"{prefix}:{name}", f"{prefix}:{name}")))
        # The most specific first: longer literal paths, then routes that require a query (List=ALL).
        table.sort(key=lambda r: (-r[3], -len(r[2])))
    return routes


ROUTES = build_routes()
TARGETS = {"CloudTrail_20131101": "cloudtrail", "Logs_20140328": "logs", "AWSOrganizationsV20161128": "organizations"}


def action_of(handler, body):
    target = handler.headers.get("X-Amz-Target", "")
    if target:
        prefix, _, op = target.rpartition(".")  # CloudTrail's prefix has dots of its own
        service = next((s for k, s in TARGETS.items() if prefix.endswith(k)), prefix)
        return f"{service}:{op}"
    if "x-www-form-urlencoded" in handler.headers.get("Content-Type", ""):
        form = dict(urllib.parse.parse_qsl(body.decode()))
        scope = re.search(r"Credential=[^/]+/[^/]+/[^/]+/([^/]+)/", handler.headers.get("Authorization", ""))
        service = IAM_PREFIX.get(scope.group(1) if scope else "", "iam")
        return f"{service}:{form.get('Action', '')}"
    parsed = urllib.parse.urlparse(handler.path)
    query = dict(urllib.parse.parse_qsl(parsed.query, keep_blank_values=True))
    scope = re.search(r"Credential=[^/]+/[^/]+/[^/]+/([^/]+)/", handler.headers.get("Authorization", ""))
    for method, pattern, required, _, action in ROUTES.get(scope.group(1) if scope else "lambda", ROUTES["lambda"]):
        if method == handler.command and pattern.match(parsed.path) and all(query.get(k) == v for k, v in required.items()):
            return action
    return f"unknown:{handler.command} {parsed.path}"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, status, data, content_type, headers=None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("x-amzn-RequestId", str(uuid.uuid4()))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def control(self, body):
        global log, timeline
        with lock:
            if self.path == "/_proxy/rules":
                r = json.loads(body or b"{}")
                rules["deny"] = set(r.get("deny", []))
                rules["unsupported"] = set(r.get("unsupported", []))
                rules["answers"] = r.get("answers", {})
                rules["deny_if"] = r.get("deny_if", [])
                turns.clear()
            elif self.path == "/_proxy/reset":
                rules["deny"], rules["unsupported"], rules["answers"], rules["deny_if"] = set(), set(), {}, []
                turns.clear()
                forms.clear()
                log = []
                timeline = []
            elif self.path == "/_proxy/log":
                return self.send(200, json.dumps(log).encode(), "application/json")
            elif self.path == "/_proxy/forms":
                return self.send(200, json.dumps(forms).encode(), "application/json")
            elif self.path == "/_proxy/timeline":
                return self.send(200, json.dumps(timeline).encode(), "application/json")
        self.send(200, b"{}", "application/json")

    def deny(self, action):
        service, _, op = action.partition(":")
        message = (f"User: arn:aws:sts::123456789012:assumed-role/responder/alice is not authorized to perform: {action} "
                   f"on resource: * because no identity-based policy allows the {action} action")
        if service in ("lambda", "signer", "securityhub"):
            return self.send(403, json.dumps({"Type": "User", "Message": message}).encode(), "application/json",
                             {"x-amzn-ErrorType": "AccessDeniedException"})
        if service in ("cloudtrail", "logs", "organizations"):
            return self.send(400, json.dumps({"__type": "AccessDeniedException", "message": message}).encode(),
                             "application/x-amz-json-1.1")
        if service == "ec2":  # EC2's own shape: 403 UnauthorizedOperation in <Response><Errors>
            xml = (f"<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not authorized to perform "
                   f"this operation. User: arn:aws:sts::123456789012:assumed-role/responder/alice is not authorized to "
                   f"perform: {action} because no identity-based policy allows the {action} action</Message></Error>"
                   f"</Errors><RequestID>{uuid.uuid4()}</RequestID></Response>")
            return self.send(403, xml.encode(), "text/xml")
        if service == "s3":
            xml = f"<Error><Code>AccessDenied</Code><Message>{message}</Message><RequestId>{uuid.uuid4()}</RequestId></Error>"
            return self.send(403, xml.encode(), "application/xml")
        xml = (f"<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>{message}</Message></Error>"
               f"<RequestId>{uuid.uuid4()}</RequestId></ErrorResponse>")
        return self.send(403, xml.encode(), "text/xml")

    def simulate(self, body):
        form = urllib.parse.parse_qsl(body.decode())
        actions = [v for k, v in form if k.startswith("ActionNames.member.")]
        results = "".join(
            f"<member><EvalActionName>{a}</EvalActionName><EvalResourceName>*</EvalResourceName>"
            f"<EvalDecision>{'implicitDeny' if a in rules['deny'] else 'allowed'}</EvalDecision>"
            f"<MatchedStatements/><MissingContextValues/></member>" for a in actions)
        xml = (f'<SimulatePrincipalPolicyResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">'
               f"<SimulatePrincipalPolicyResult><IsTruncated>false</IsTruncated><EvaluationResults>{results}"
               f"</EvaluationResults></SimulatePrincipalPolicyResult><ResponseMetadata><RequestId>{uuid.uuid4()}"
               f"</RequestId></ResponseMetadata></SimulatePrincipalPolicyResponse>")
        return self.send(200, xml.encode(), "text/xml")

    def handle_any(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.path.startswith("/_proxy/"):
            return self.control(body)
        action = action_of(self, body)
        start = time.time()
        form = {}
        if "x-www-form-urlencoded" in self.headers.get("Content-Type", ""):
            form = dict(urllib.parse.parse_qsl(body.decode()))
        with lock:
            log.append(action)
            if form:
                forms.append({"action": action, "form": form})
            denied = action in rules["deny"] or any(
                d["action"] == action and form.get(d["param"]) == d["value"] for d in rules["deny_if"])
            unsupported = action in rules["unsupported"]
            canned = rules["answers"].get(action)
            if canned:
                n = turns.get(action, 0)
                turns[action] = n + 1
                canned = canned[n % len(canned)]
        if denied:
            return self.deny(action)
        if unsupported:
            return self.send(404, b"<!doctype html><title>404 Not Found</title><h1>Not Found</h1>", "text/html")
        if canned:
            return self.send(canned.get("status", 200), canned.get("body", "").encode(),
                             canned.get("content_type", "application/json"), canned.get("headers"))
        if action == "iam:SimulatePrincipalPolicy":
            return self.simulate(body)
        response, data = relay.forward(upstream, self, self.command, self.path, body)
        relay.relay(self, response, data)
        with lock:
            timeline.append({"action": action, "start": start, "end": time.time(), "status": response.status})

    do_GET = do_POST = do_PUT = do_DELETE = handle_any


server = relay.Server(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
