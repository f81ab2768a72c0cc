#!/usr/bin/env python3
"""A loopback proxy that adds a fixed delay to every request before passing it to its upstream
unchanged: a real AWS region's round trip, so that a benchmark against moto_server shows what
concurrency buys (a loopback call answers in about a millisecond, a call to AWS in tens).

Usage: latency_proxy.py UPSTREAM_URL MILLISECONDS   (prints the port)"""
import sys
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler

import relay

upstream = urllib.parse.urlparse(sys.argv[1])
delay = float(sys.argv[2]) / 1000.0


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def handle_any(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        time.sleep(delay)
        relay.relay(self, *relay.forward(upstream, self, self.command, self.path, body))

    do_GET = do_POST = do_PUT = do_DELETE = handle_any


server = relay.Server(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
