#!/usr/bin/env python3
"""A loopback proxy in front of moto_server that makes deployment packages downloadable.

moto's GetFunction returns a Code.Location nobody can download. This proxy forwards every
call to moto unchanged, except that in GetFunction responses it rewrites Code.Location to a
presigned-looking URL on itself, where it serves the package from PACKAGE_DIR/<function>.zip
(as S3 would: application/zip, x-amz-request-id). With --tamper it serves the package with
one byte appended, to show that a CodeSha256 mismatch is caught.

Usage: code_location_proxy.py UPSTREAM_URL PACKAGE_DIR [--tamper]   (prints the port)
"""
import json
import re
import sys
import urllib.parse
from http.server import BaseHTTPRequestHandler

import relay

upstream = urllib.parse.urlparse(sys.argv[1])
package_dir = sys.argv[2]
tamper = "--tamper" in sys.argv[3:]
port_holder = {}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_any(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        path = urllib.parse.urlparse(self.path).path
        if path.startswith("/packages/"):
            name = path.split("/")[2]
            with open(f"{package_dir}/{name}.zip", "rb") as f:
                data = f.read() + (b"x" if tamper else b"")
            return self.reply(200, data, "application/zip")
        response, data = relay.forward(upstream, self, self.command, self.path, body)
        match = re.fullmatch(r"/2015-03-31/functions/([^/]+)", path)
        if self.command == "GET" and match and response.status == 200:
            doc = json.loads(data)
            name = urllib.parse.unquote(match.group(1)).split(":")[-1]
            doc["Code"]["Location"] = (f"http://127.0.0.1:{port_holder['port']}/packages/{name}"
                                       "?X-Amz-Security-Token=presigned-secret&X-Amz-Signature=0123abcd")
            data = json.dumps(doc).encode()
            return self.reply(response.status, data, response.getheader("Content-Type", "application/json"),
                              response.getheader("x-amzn-RequestId"))
        relay.relay(self, response, data)  # every header, the error type included

    def reply(self, status, data, content_type, request_id=None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if request_id:
            self.send_header("x-amzn-RequestId", request_id)
        self.send_header("x-amz-request-id", "PROXYREQUEST1")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_DELETE = do_any


server = relay.Server(("127.0.0.1", 0), Handler)
port_holder["port"] = server.server_address[1]
print(server.server_address[1], flush=True)
server.serve_forever()
