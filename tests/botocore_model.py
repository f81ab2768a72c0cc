#!/usr/bin/env python3
"""Prints, for each (service, operation) on stdin, what botocore's service model says:
HTTP method, request URI, and the paginator. Used by tests/aws_operations_test.cpp."""
import json
import sys

import botocore.session

session = botocore.session.get_session()
out = {}
for service, name in json.load(sys.stdin):
    model = session.get_service_model(service)
    op = model.operation_model(name)
    try:
        paginator = session.get_paginator_model(service).get_paginator(name)
    except ValueError:
        paginator = None
    out[f"{service}.{name}"] = {
        "method": op.http["method"], "uri": op.http["requestUri"],
        "protocols": model.metadata.get("protocols", [model.metadata["protocol"]]),
        "target_prefix": model.metadata.get("targetPrefix"), "api_version": model.metadata["apiVersion"],
        "paginator": paginator,
        "input_wire": {k: v.serialization.get("name", k) for k, v in (op.input_shape.members.items() if op.input_shape else [])},
    }
print(json.dumps(out))
