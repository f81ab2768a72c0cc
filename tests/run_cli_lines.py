#!/usr/bin/env python3
"""Runs aws CLI command lines (one per line on stdin, as lambda-ir --dry-run prints them):
each is split as a POSIX shell would (shlex), must start with `aws`, and must succeed.
Prints each line's exit status; exits 1 if any line is not a valid, successful aws call."""
import shlex
import subprocess
import sys

failed = 0
for line in sys.stdin.read().splitlines():
    if not line.strip():
        continue
    argv = shlex.split(line)
    if argv[0] != "aws":
        print(f"not an aws command: {line}")
        failed += 1
        continue
    r = subprocess.run(argv, capture_output=True, text=True)
    print(f"{r.returncode} {line}")
    if r.returncode != 0:
        print(r.stderr)
        failed += 1
sys.exit(1 if failed else 0)
