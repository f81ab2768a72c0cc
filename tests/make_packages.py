#!/usr/bin/env python3
"""Writes the deployment packages the package tests read: a clean one, and hostile ones made
the way an attacker would (traversal names, an absolute path, a symlink, a zip bomb), plus a
layer that carries a handler. Usage: make_packages.py OUTDIR"""
import io
import os
import sys
import zipfile

out = sys.argv[1]


def write(name, entries):
    with zipfile.ZipFile(os.path.join(out, name), "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in entries:
            z.writestr(info, data)


def info(name, mode=None):
    i = zipfile.ZipInfo(name, date_time=(2026, 11, 27, 8, 0, 0))
    i.compress_type = zipfile.ZIP_DEFLATED
    if mode is not None:
        i.external_attr = mode << 16
        i.create_system = 3  # Unix
    return i


handler = b"def handler(event, context):\n    return {'ok': True}\n"
write("clean.zip", [(info("app.py", 0o100644), handler), (info("lib/util.py", 0o100644), b"X = 1\n")])
write("traversal.zip", [(info("app.py"), handler), (info("../../etc/cron.d/backdoor"), b"* * * * * root sh\n"),
                        (info("/tmp/absolute.sh"), b"#!/bin/sh\n")])
write("symlink.zip", [(info("app.py"), handler), (info("creds", 0o120777), b"/proc/self/environ")])
write("bomb.zip", [(info("app.py"), handler), (info("padding.bin"), b"\0" * (64 << 20))])
write("no_handler.zip", [(info("lib/util.py"), b"X = 1\n")])
write("layer.zip", [(info("python/vendor/otel_wrapper.py"), b"import os\n")])
