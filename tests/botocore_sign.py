#!/usr/bin/env python3
"""Signs one request with botocore's SigV4Auth at a fixed time and prints the canonical
request, string to sign and signature as JSON (used by tests/sigv4_test.cpp)."""
import json
import sys

import botocore.auth
import botocore.awsrequest
import botocore.credentials

spec = json.load(sys.stdin)
creds = botocore.credentials.Credentials(spec["access_key"], spec["secret_key"], spec.get("token") or None)
request = botocore.awsrequest.AWSRequest(method=spec["method"], url=spec["url"], headers=spec["headers"],
                                         data=spec["body"].encode())
auth = botocore.auth.SigV4Auth(creds, spec["service"], spec["region"])
request.context["timestamp"] = spec["amz_date"]
auth._modify_request_before_signing(request)
canonical = auth.canonical_request(request)
to_sign = auth.string_to_sign(request, canonical)
print(json.dumps({"canonical_request": canonical, "string_to_sign": to_sign,
                  "signature": auth.signature(to_sign, request)}))
