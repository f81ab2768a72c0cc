#!/usr/bin/env python3
"""A loopback proxy in front of moto_server for two parts of Lambda that moto lacks or gets
wrong, answered from memory in the shapes of the Lambda API reference and botocore's model:

- Provisioned concurrency (moto's Put/List/Delete answer 404): PutProvisionedConcurrencyConfig,
  GetProvisionedConcurrencyConfig, ListProvisionedConcurrencyConfigs and
  DeleteProvisionedConcurrencyConfig (202 IN_PROGRESS on put, READY on read, 204 on delete,
  ResourceNotFoundException / ProvisionedConcurrencyConfigNotFoundException when absent), with
  the rule that makes containment's order matter: reserved concurrency may not go below the
  provisioned concurrency configured, and provisioned may not exceed a reserved value
  (InvalidParameterValueException, 400).
- Event invoke configs per qualifier (moto ignores the qualifier, and its Get returns the first
  config ever put, so a second Put never shows): Put (replaces), Update (merges), Get, Delete and
  ListFunctionEventInvokeConfigs, each qualifier ($LATEST, an alias, a version) its own, the
  FunctionArn qualified as Lambda answers it.

- Code signing configs (moto has none): CreateCodeSigningConfig, GetCodeSigningConfig,
  UpdateCodeSigningConfig, ListCodeSigningConfigs, DeleteCodeSigningConfig (refused while a
  function uses it), and a function's Put/Get/Delete
  FunctionCodeSigningConfig (the ARN must name a config that exists), in the shapes of the
  API reference; the region is the request's signing region.
- ListFunctionUrlConfigs (moto lacks it): the unqualified URL moto has, in the list's shape.
- IAM's service last-accessed reports (moto has none): iam_last_accessed.py, seeded with
  POST /_proxy/last-accessed.
- Resource policies per qualifier (moto keeps one per function and ignores the Qualifier):
  qualified_policies.py answers AddPermission, GetPolicy and RemovePermission of an alias or
  version.
- Signer's GetSigningProfile of a profile that does not exist: moto answers 500 (a KeyError);
  answered 404 ResourceNotFoundException, as Signer does. Everything else about profiles is
  moto's.

Every other request goes to moto unchanged. POST /_proxy/reset forgets all of it (a test's
fresh start, with moto's own reset).

Usage: lambda_gaps_proxy.py UPSTREAM_URL   (prints the port)
"""
import http.client
import json
import re
import sys
import threading
import time
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler

import iam_last_accessed
import qualified_policies
import relay

upstream = urllib.parse.urlparse(sys.argv[1])
configs = {}  # (function name, qualifier) -> requested
invoke_configs = {}  # (function name, qualifier) -> settings
signing_configs = {}  # ARN -> CodeSigningConfig
function_signing = {}  # function name -> config ARN
lock = threading.Lock()
PC = re.compile(r"/2019-09-30/functions/([^/]+)/provisioned-concurrency")
EIC = re.compile(r"/2019-09-25/functions/([^/]+)/event-invoke-config(/list)?")
EIC_KEYS = ("MaximumRetryAttempts", "MaximumEventAgeInSeconds", "DestinationConfig")
RESERVED = re.compile(r"/2017-10-31/functions/([^/]+)/concurrency")
CSC = re.compile(r"/2020-04-22/code-signing-configs(?:/(.+))?")
FCSC = re.compile(r"/2020-06-30/functions/([^/]+)/code-signing-config")
URLS = re.compile(r"/2021-10-31/functions/([^/]+)/urls")
PROFILE = re.compile(r"/signing-profiles/([^/]+)")


def name_of(ref):
    ref = urllib.parse.unquote(ref)
    parts = ref.split(":")
    return parts[6] if ref.startswith("arn:") and len(parts) > 6 else ref


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, doc=None, request_id=None):
        data = b"" if doc is None else json.dumps(doc).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("x-amzn-RequestId", request_id or str(uuid.uuid4()))
        if status >= 400 and doc:
            self.send_header("x-amzn-ErrorType", doc["Type"])
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def error(self, status, kind, message):
        self.reply(status, {"Type": kind, "message": message})

    def forward(self, method, path):
        # A read of our own, without the client's body headers.
        return relay.forward(upstream, self, method, path, own_read=True)

    def role_exists(self, arn):
        # moto's IAM answers GetRole without checking the signature.
        name = arn.rsplit("/", 1)[-1]
        body = urllib.parse.urlencode({"Action": "GetRole", "RoleName": name, "Version": "2010-05-08"}).encode()
        conn = http.client.HTTPConnection(upstream.hostname, upstream.port, timeout=30)
        conn.request("POST", "/", body=body, headers={"Content-Type": "application/x-www-form-urlencoded",
                                                       "Authorization": "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0"})
        response = conn.getresponse()
        data = response.read()
        return response.status == 200 and arn.encode() in data

    def function_arn(self, name):
        response, data = self.forward("GET", f"/2015-03-31/functions/{urllib.parse.quote(name)}/configuration")
        return json.loads(data)["FunctionArn"] if response.status == 200 else None

    def alias_exists(self, name, alias):
        response, _ = self.forward("GET", f"/2015-03-31/functions/{urllib.parse.quote(name)}/aliases/{urllib.parse.quote(alias)}")
        return response.status in (200, 201)  # moto answers this read with 201

    def reserved(self, name):
        response, data = self.forward("GET", f"/2019-09-30/functions/{urllib.parse.quote(name)}/concurrency")
        return json.loads(data or b"{}").get("ReservedConcurrentExecutions") if response.status == 200 else None

    def config_doc(self, arn, qualifier, requested, status):
        return {"FunctionArn": f"{arn}:{qualifier}", "RequestedProvisionedConcurrentExecutions": requested,
                "AvailableProvisionedConcurrentExecutions": requested if status == "READY" else 0,
                "AllocatedProvisionedConcurrentExecutions": requested if status == "READY" else 0,
                "Status": status, "LastModified": time.strftime("%Y-%m-%dT%H:%M:%S.000+0000", time.gmtime())}

    def provisioned(self, name, query, body):
        arn = self.function_arn(name)
        if arn is None:
            return self.error(404, "ResourceNotFoundException", f"Function not found: {name}")
        qualifier = query.get("Qualifier", [""])[0]
        with lock:
            if self.command == "GET" and query.get("List"):
                items = [self.config_doc(arn, q, n, "READY") for (f, q), n in sorted(configs.items()) if f == name]
                return self.reply(200, {"ProvisionedConcurrencyConfigs": items})
            key = (name, qualifier)
            if not qualifier or qualifier == "$LATEST":
                return self.error(400, "InvalidParameterValueException", "Provisioned concurrency needs an alias or a version")
            if self.command == "GET":
                if key not in configs:
                    return self.error(404, "ProvisionedConcurrencyConfigNotFoundException", "No Provisioned Concurrency Config found for this function")
                return self.reply(200, self.config_doc(arn, qualifier, configs[key], "READY"))
            if self.command == "DELETE":
                if key not in configs:
                    return self.error(404, "ResourceNotFoundException", "No Provisioned Concurrency Config found for this function")
                del configs[key]
                return self.reply(204)
            if self.command == "PUT":
                requested = json.loads(body)["ProvisionedConcurrentExecutions"]
                reserved = self.reserved(name)
                others = sum(n for (f, q), n in configs.items() if f == name and q != qualifier)
                if reserved is not None and others + requested > reserved:
                    return self.error(400, "InvalidParameterValueException",
                                      "Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution for function")
                configs[key] = requested
                return self.reply(202, self.config_doc(arn, qualifier, requested, "IN_PROGRESS"))
        return self.error(405, "ValidationException", "method")

    def invoke_config(self, name, query, body, listing):
        arn = self.function_arn(name)
        if arn is None:
            return self.error(404, "ResourceNotFoundException", f"Function not found: {name}")
        qualifier = query.get("Qualifier", ["$LATEST"])[0]

        def doc(q, settings):
            return {"LastModified": time.time(), "FunctionArn": f"{arn}:{q}", **settings}
        with lock:
            if listing:
                return self.reply(200, {"FunctionEventInvokeConfigs": [doc(q, c) for (f, q), c in sorted(invoke_configs.items()) if f == name]})
            key = (name, qualifier)
            if self.command == "GET":
                if key not in invoke_configs:
                    return self.error(404, "ResourceNotFoundException", f"The function {arn}:{qualifier} doesn't have an EventInvokeConfig")
                return self.reply(200, doc(qualifier, invoke_configs[key]))
            if self.command == "DELETE":
                if key not in invoke_configs:
                    return self.error(404, "ResourceNotFoundException", f"The function {arn}:{qualifier} doesn't have an EventInvokeConfig")
                del invoke_configs[key]
                return self.reply(204)
            settings = {k: v for k, v in json.loads(body or b"{}").items() if k in EIC_KEYS}
            if self.command == "POST":  # UpdateFunctionEventInvokeConfig merges
                settings = {**invoke_configs.get(key, {}), **settings}
            invoke_configs[key] = settings
            return self.reply(200, doc(qualifier, settings))

    def signing_region(self):
        match = re.search(r"Credential=[^/]+/\d{8}/([^/]+)/", self.headers.get("Authorization", ""))
        return match.group(1) if match else "us-east-1"

    def code_signing_config(self, arn, body):
        with lock:
            if arn is None and self.command == "POST":
                request = json.loads(body or b"{}")
                config_id = f"csc-{len(signing_configs) + 1:017x}"  # deterministic: tests compare reports
                new_arn = f"arn:aws:lambda:{self.signing_region()}:123456789012:code-signing-config:{config_id}"
                signing_configs[new_arn] = {
                    "CodeSigningConfigId": config_id, "CodeSigningConfigArn": new_arn,
                    "Description": request.get("Description", ""),
                    "AllowedPublishers": request.get("AllowedPublishers", {"SigningProfileVersionArns": []}),
                    "CodeSigningPolicies": {"UntrustedArtifactOnDeployment": "Warn", **request.get("CodeSigningPolicies", {})},
                    "LastModified": time.strftime("%Y-%m-%dT%H:%M:%S.000+0000", time.gmtime())}
                return self.reply(201, {"CodeSigningConfig": signing_configs[new_arn]})
            if arn is None:
                return self.reply(200, {"CodeSigningConfigs": list(signing_configs.values())})
            if arn not in signing_configs:
                return self.error(404, "ResourceNotFoundException", f"Code signing config {arn} not found")
            if self.command == "DELETE":
                if arn in function_signing.values():
                    return self.error(409, "ResourceConflictException", f"Code signing config {arn} is in use by a function")
                del signing_configs[arn]
                return self.reply(204)
            if self.command == "PUT":
                request = json.loads(body or b"{}")
                for key in ("Description", "AllowedPublishers", "CodeSigningPolicies"):
                    if key in request:
                        signing_configs[arn][key] = request[key]
            return self.reply(200, {"CodeSigningConfig": signing_configs[arn]})

    def function_code_signing(self, name, body):
        if self.function_arn(name) is None:
            return self.error(404, "ResourceNotFoundException", f"Function not found: {name}")
        with lock:
            if self.command == "PUT":
                arn = json.loads(body or b"{}").get("CodeSigningConfigArn", "")
                if arn not in signing_configs:
                    return self.error(404, "ResourceNotFoundException", f"Code signing config {arn} not found")
                function_signing[name] = arn
            elif self.command == "DELETE":
                function_signing.pop(name, None)
                return self.reply(204)
            arn = function_signing.get(name)
            if arn is None:
                return self.reply(200, {"CodeSigningConfigArn": "", "FunctionName": name})
            return self.reply(200, {"CodeSigningConfigArn": arn, "FunctionName": name})

    def function_urls(self, name):
        response, data = self.forward("GET", f"/2021-10-31/functions/{urllib.parse.quote(name)}/url")
        if response.status == 404 and self.function_arn(name) is not None:
            return self.reply(200, {"FunctionUrlConfigs": []})
        if response.status not in (200, 201):  # moto answers this read with 201
            return relay.relay(self, response, data)
        url = json.loads(data)
        keys = ("FunctionUrl", "FunctionArn", "CreationTime", "LastModifiedTime", "Cors", "AuthType", "InvokeMode")
        return self.reply(200, {"FunctionUrlConfigs": [{k: url[k] for k in keys if k in url}]})

    def handle_any(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        parsed = urllib.parse.urlparse(self.path)
        if parsed.path == "/_proxy/reset":
            with lock:
                configs.clear()
                invoke_configs.clear()
                signing_configs.clear()
                function_signing.clear()
            iam_last_accessed.reset()
            qualified_policies.reset()
            return self.reply(200, {})
        if parsed.path == "/_proxy/last-accessed":
            iam_last_accessed.seed(json.loads(body))
            return self.reply(200, {})
        if self.command == "POST" and parsed.path == "/" and b"LastAccessedDetails" in body:
            if iam_last_accessed.handle(self, iam_last_accessed.parse(body), self.role_exists):
                return
        if qualified_policies.handle(self, self.path, body, self.function_arn, self.alias_exists):
            return
        query = urllib.parse.parse_qs(parsed.query)
        match = PC.fullmatch(parsed.path)
        if match:
            return self.provisioned(name_of(match.group(1)), query, body)
        match = EIC.fullmatch(parsed.path)
        if match:
            return self.invoke_config(name_of(match.group(1)), query, body, bool(match.group(2)))
        match = CSC.fullmatch(parsed.path)
        if match:
            return self.code_signing_config(urllib.parse.unquote(match.group(1)) if match.group(1) else None, body)
        match = FCSC.fullmatch(parsed.path)
        if match:
            return self.function_code_signing(name_of(match.group(1)), body)
        match = URLS.fullmatch(parsed.path)
        if match and self.command == "GET":
            return self.function_urls(name_of(match.group(1)))
        match = PROFILE.fullmatch(parsed.path)
        if match and self.command == "GET":
            response, data = relay.forward(upstream, self, self.command, self.path, body)
            if response.status == 500:
                return self.error(404, "ResourceNotFoundException", f"Signing profile {match.group(1)} not found")
            return relay.relay(self, response, data)
        match = RESERVED.fullmatch(parsed.path)
        if match and self.command == "PUT":
            name = name_of(match.group(1))
            wanted = json.loads(body)["ReservedConcurrentExecutions"]
            with lock:
                provisioned = sum(n for (f, q), n in configs.items() if f == name)
            if wanted < provisioned:
                return self.error(400, "InvalidParameterValueException",
                                  f"ReservedConcurrentExecutions {wanted} is less than the function's provisioned concurrency {provisioned}")
        relay.relay(self, *relay.forward(upstream, self, self.command, self.path, body))

    do_GET = do_POST = do_PUT = do_DELETE = handle_any


server = relay.Server(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
