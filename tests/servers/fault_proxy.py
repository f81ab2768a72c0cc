#!/usr/bin/env python3
"""A loopback HTTP proxy in front of moto_server that injects faults, to show that retries
recover and that calls which are not idempotent are never repeated blindly.

Each request takes the next action from the plan (then passes everything through):
  throttle   answer 400 ThrottlingException (JSON) or Throttling (query XML) without forwarding
  error500   answer 500 without forwarding
  reset      close the connection without forwarding
  lost       forward to moto, then close the connection without the answer
  cut        forward to moto, answer with its headers and half its body, then close
  slow       wait 1.5 s, then forward
  pass       forward
Every request that reached moto is logged (method, path, target/action) to the log file.

A plan "each:KIND,KIND,..." gives every distinct request (method, path, query, target and
body) a fixed outcome instead, whatever the order concurrent requests arrive in: its first
attempt meets one fault, the KIND picked by a hash of the request, and every later attempt
passes. A client that retries (as the standard retry mode does, up to 3 attempts) then
always succeeds, so a test's result does not depend on chance.

Usage: fault_proxy.py UPSTREAM_URL PLAN LOG_FILE   (PLAN like "throttle,reset,pass"; prints the port)
"""
import hashlib
import json
import socket
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler

import relay

upstream = urllib.parse.urlparse(sys.argv[1])
per_request = sys.argv[2].startswith("each:")
plan = [p for p in sys.argv[2].removeprefix("each:").split(",") if p]
log_path = sys.argv[3]
lock = threading.Lock()
attempts = {}  # request digest -> attempts seen (per-request plans)


def next_action(handler, body):
    with lock:
        if not per_request:
            return plan.pop(0) if plan else "pass"
        key = hashlib.sha256("\0".join([handler.command, handler.path, handler.headers.get("X-Amz-Target", "")]).encode()
                             + b"\0" + body).digest()
        seen = attempts.get(key, 0)
        attempts[key] = seen + 1
        return plan[int.from_bytes(key[:4], "big") % len(plan)] if seen == 0 else "pass"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def handle_any(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        action = next_action(self, body)
        if action == "throttle":
            if "x-www-form-urlencoded" in self.headers.get("Content-Type", ""):  # query protocol (IAM, STS, CloudWatch)
                return self.reply(400, b'<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code>'
                                       b'<Message>Rate exceeded</Message></Error><RequestId>fault-proxy</RequestId></ErrorResponse>',
                                  "text/xml")
            return self.reply(400, b'{"__type":"ThrottlingException","message":"Rate exceeded"}', "application/json")
        if action == "error500":
            return self.reply(500, b'{"message":"internal"}', "application/json")
        if action == "reset":
            self.close_hard()
            return
        if action == "slow":
            time.sleep(1.5)
        response, data = relay.forward(upstream, self, self.command, self.path, body)
        with lock, open(log_path, "a") as log:
            log.write(json.dumps({"method": self.command, "path": self.path,
                                  "target": self.headers.get("X-Amz-Target", ""), "body": body.decode(errors="replace")[:200]}) + "\n")
        if action == "lost":
            self.close_hard()
            return
        if action == "cut":  # the status and the whole Content-Length, then half the body
            relay.relay_part(self, response, data, len(data) // 2)
            # A clean close (FIN): the client reads the half it was sent, then the end. A reset
            # would have its kernel drop the unread half, and nothing would reach the client.
            self.connection.shutdown(socket.SHUT_WR)
            self.close_connection = True
            return
        relay.relay(self, response, data)

    def close_hard(self):
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        self.connection.close()
        self.close_connection = True

    def reply(self, status, data, content_type):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_DELETE = handle_any


server = relay.Server(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
