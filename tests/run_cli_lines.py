#!/usr/bin/env python3
"""Runs aws CLI command lines (one per line on stdin, as lambda-ir --dry-run prints them):
each is split as a POSIX shell would (shlex), must start with `aws`, and must succeed.
Prints each line's exit status; exits 1 if any line is not a valid, successful aws call.
The aws CLI runs in this interpreter (awscli's own entry point, as the `aws` script calls
it), so the test runner's one Python serves every line."""
import contextlib
import io
import os
import shlex
import sys

import awscli
from awscli.clidriver import create_clidriver

# awscli sets this when first imported; a long-lived interpreter may have lost it since.
os.environ["AWS_DATA_PATH"] = os.path.join(os.path.dirname(awscli.__file__), "data")

failed = 0
for line in sys.stdin.read().splitlines():
    if not line.strip():
        continue
    argv = shlex.split(line)
    if argv[0] != "aws":
        print(f"not an aws command: {line}")
        failed += 1
        continue
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = create_clidriver().main(argv[1:])
        except SystemExit as e:  # argument errors exit
            code = e.code if isinstance(e.code, int) else 1
    print(f"{code} {line}")
    if code != 0:
        print(err.getvalue())
        failed += 1
sys.exit(1 if failed else 0)
