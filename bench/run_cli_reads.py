#!/usr/bin/env python3
"""Runs aws CLI commands (one per line on stdin) one after another in this one interpreter, as
a responder's script of reads would run them, without the per-command process start (which
only favours the CLI). A read answering "not found" (a function without a resource policy) is a
valid answer; any other failure stops the run. Prints the number of commands, the number of
functions the list-functions pages returned and the ARNs get-function-configuration found, for
the benchmark to check.
Usage: run_cli_reads.py < lines"""
import contextlib
import io
import json
import os
import shlex
import sys

import awscli
from awscli.clidriver import create_clidriver

os.environ["AWS_DATA_PATH"] = os.path.join(os.path.dirname(awscli.__file__), "data")
commands = functions = 0
found = []
for line in sys.stdin.read().splitlines():
    if not line.strip():
        continue
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = create_clidriver().main(shlex.split(line)[1:])
    commands += 1
    if code != 0 and "ResourceNotFoundException" not in err.getvalue():
        sys.exit(f"failed ({code}): {line}\n{err.getvalue()}")
    if " list-functions " in line:
        functions += len(json.loads(out.getvalue())["Functions"])
    if " get-function-configuration " in line and code == 0:
        found.append(json.loads(out.getvalue())["FunctionArn"])
print(json.dumps({"commands": commands, "functions": functions, "found": found}))
