#!/usr/bin/env python3
"""Seeds N functions for the audit benchmark in the caller's account (bench/bench_seed.py: half
in us-east-1 and half in us-west-2, a role per ten, every third with a public URL, every fifth
with an event invoke config, a trail). Prints the expected counts as JSON: what audit must find
before its time counts.
Usage: seed_audit_bench.py MOTO_URL PROXY_URL N"""
import json
import sys

from bench_seed import seed_account

moto_url, proxy_url, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
public, roles = seed_account(moto_url, proxy_url, dict(aws_access_key_id="testing", aws_secret_access_key="testing"), n,
                             "bench-fn-{:03d}", "bench-trail")
print(json.dumps({"functions": n, "public_urls": public, "roles": roles}))
