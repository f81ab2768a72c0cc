#!/usr/bin/env python3
"""Runs the script lambda-ir --dry-run prints (one aws CLI command per line, on stdin) as a
POSIX shell would: each line split with shlex; `export NAME=VALUE` sets the environment; a
"$(aws ...)" in a word (one, unnested) is replaced by that command's output, as command
substitution does. Every
other line must start with `aws` and succeed. Prints each line's exit status; exits 1 if any
line is not a valid, successful aws call.
The aws CLI runs in this interpreter (awscli's own entry point, as the `aws` script calls
it), so the test runner's one Python serves every line."""
import contextlib
import io
import os
import re
import shlex
import sys

import awscli
from awscli.clidriver import create_clidriver

# awscli sets this when first imported; a long-lived interpreter may have lost it since.
os.environ["AWS_DATA_PATH"] = os.path.join(os.path.dirname(awscli.__file__), "data")


def aws(argv):
    """Runs an aws CLI command; returns (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = create_clidriver().main(argv[1:])
        except SystemExit as e:  # argument errors exit
            code = e.code if isinstance(e.code, int) else 1
    return code, out.getvalue(), err.getvalue()


failed = 0
for line in sys.stdin.read().splitlines():
    if not line.strip():
        continue
    argv = shlex.split(line)
    if argv[0] == "export" and len(argv) == 2 and "=" in argv[1]:
        name, _, value = argv[1].partition("=")
        os.environ[name] = value
        print(f"0 {line}")
        continue
    if argv[0] != "aws":
        print(f"not an aws command: {line}")
        failed += 1
        continue
    for i, word in enumerate(argv):
        substituted = re.search(r"\$\((aws .*)\)", word)
        if substituted:
            code, out, err = aws(shlex.split(substituted.group(1)))
            if code != 0:
                print(f"{code} $({substituted.group(1)})\n{err}")
                failed += 1
            argv[i] = word[:substituted.start()] + out.strip() + word[substituted.end():]
    code, _, err = aws(argv)
    print(f"{code} {line}")
    if code != 0:
        print(err)
        failed += 1
sys.exit(1 if failed else 0)
