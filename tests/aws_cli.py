#!/usr/bin/env python3
"""Runs one aws CLI command (argv after the script name, as `aws` takes it) in this
interpreter: awscli's own entry point, without a new Python per call when the tests' runner
(tests/servers/python_runner.py) runs it. Exit status and output are the CLI's."""
import os
import sys

import awscli
from awscli.clidriver import create_clidriver

# awscli sets this when first imported; a long-lived interpreter may have lost it since.
os.environ["AWS_DATA_PATH"] = os.path.join(os.path.dirname(awscli.__file__), "data")
try:
    code = create_clidriver().main(sys.argv[1:])
except SystemExit as e:  # argument errors exit
    code = e.code if isinstance(e.code, int) else 1
sys.exit(code)
