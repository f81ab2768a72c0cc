#!/usr/bin/env python3
"""A loopback stand-in for CloudTrail LookupEvents, which moto does not implement.

It answers in the real wire format of the json 1.1 protocol: {"Events": [...],
"NextToken": ...}, each event with EventId, EventName, ReadOnly, AccessKeyId, EventTime
(epoch seconds), EventSource, Username, Resources and the record itself as the
CloudTrailEvent string. The records are third-party data from ../shared/corpora
(trailscraper, Apache-2.0; AWS documentation samples, modified MIT). The first request is
refused with a real-format ThrottlingException, to exercise retries. Every request is
logged (arrival time, target, body, whether it was signed) to the file given.

Usage: lookup_events_replay.py CORPORA_DIR LOG_FILE  (prints the port, then serves)
"""
import datetime
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler

import relay

corpora, log_path = sys.argv[1], sys.argv[2]
records = json.load(open(f"{corpora}/cloudtrail-trailscraper/111111111111_CloudTrail_eu-central-1_20171211T1505Z_A6kvhMoVeCsc7v8U.json"))["Records"]
records += json.load(open(f"{corpora}/cloudtrail-awsdocs/aws-lambda-developer-guide/logging-using-cloudtrail.block0.json"))["Records"]


def to_event(r):
    t = datetime.datetime.strptime(r["eventTime"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)
    identity = r.get("userIdentity") or {}
    return {"EventId": r["eventID"], "EventName": r["eventName"], "ReadOnly": str(r.get("readOnly", True)).lower(),
            "AccessKeyId": identity.get("accessKeyId", ""), "EventTime": t.timestamp(), "EventSource": r["eventSource"],
            "Username": identity.get("userName", identity.get("principalId", "")),
            "Resources": [], "CloudTrailEvent": json.dumps(r)}


EVENTS = [to_event(r) for r in records]
PAGE = 2
lock = threading.Lock()
state = {"requests": 0}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        target = self.headers.get("X-Amz-Target", "")
        with lock:
            state["requests"] += 1
            n = state["requests"]
            with open(log_path, "a") as log:
                auth = self.headers.get("Authorization", "")
                scope = auth.split("Credential=")[1].split(",")[0].split("/")[2] if "Credential=" in auth else ""
                log.write(json.dumps({"t": time.time(), "target": target, "body": body.decode(), "region": scope,
                                      "signed": self.headers.get("Authorization", "").startswith("AWS4-HMAC-SHA256 Credential=")}) + "\n")
        if n == 1:
            return self.reply(400, {"__type": "ThrottlingException", "message": "Rate exceeded"})
        if not target.endswith(".LookupEvents"):
            return self.reply(400, {"__type": "UnknownOperationException", "message": target})
        request = json.loads(body or b"{}")
        start = int(request.get("NextToken", "0") or 0)
        page = {"Events": EVENTS[start:start + PAGE]}
        if start + PAGE < len(EVENTS):
            page["NextToken"] = str(start + PAGE)
        self.reply(200, page)

    def reply(self, status, doc):
        data = json.dumps(doc).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/x-amz-json-1.1")
        self.send_header("x-amzn-RequestId", f"replay-{state['requests']}")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


server = relay.Server(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
