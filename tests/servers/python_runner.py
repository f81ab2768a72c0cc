#!/usr/bin/env python3
"""Runs the tests' Python helper scripts (seeds, state readers, the aws CLI line runner)
inside one long-lived interpreter, so each run costs milliseconds instead of a new Python
with boto3 to import (about a second each). A test binary starts one runner and sends it
one script at a time.

POST / with {"script": PATH, "args": [...], "stdin": TEXT, "env": {NAME: VALUE}}: runs the
script as __main__ with that argv, standard input and environment (restored afterwards),
and answers {"exit": CODE, "out": STDOUT, "err": STDERR}. Runs are serialised: a script
owns sys.argv, the standard streams and os.environ while it runs.

Usage: python_runner.py   (prints its loopback port on the first line)
"""
import contextlib
import io
import json
import os
import runpy
import sys
import threading
import traceback
from http.server import BaseHTTPRequestHandler

import relay

import boto3  # noqa: F401  imported once here: the reason this runner exists
import botocore.session  # noqa: F401

lock = threading.Lock()


def run_script(script, args, stdin="", env=None):
    """Runs `script` in this interpreter; returns (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    saved_argv, saved_stdin, saved_env = sys.argv, sys.stdin, dict(os.environ)
    saved_path = list(sys.path)
    code = 0
    try:
        sys.argv = [script] + list(args)
        sys.stdin = io.StringIO(stdin)
        if env:
            os.environ.update(env)
        sys.path.insert(0, os.path.dirname(os.path.abspath(script)))
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                runpy.run_path(script, run_name="__main__")
            except SystemExit as e:
                code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
                if not isinstance(e.code, (int, type(None))):
                    print(e.code, file=sys.stderr)
            except BaseException:  # a failing script is a result, not the runner's end
                traceback.print_exc()
                code = 1
    finally:
        sys.argv, sys.stdin = saved_argv, saved_stdin
        sys.path[:] = saved_path
        os.environ.clear()
        os.environ.update(saved_env)
    return code, out.getvalue(), err.getvalue()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_POST(self):
        request = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
        with lock:
            code, out, err = run_script(request["script"], request.get("args", []), request.get("stdin", ""), request.get("env"))
        data = json.dumps({"exit": code, "out": out, "err": err}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


if __name__ == "__main__":
    # No real credential of the machine's may reach a script, and no script instance metadata.
    for name in [n for n in os.environ if n.startswith("AWS_")]:
        del os.environ[name]
    os.environ["AWS_EC2_METADATA_DISABLED"] = "true"
    server = relay.Server(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()
