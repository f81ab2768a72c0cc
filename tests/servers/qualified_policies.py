"""Resource policies of a function's aliases and versions, for lambda_gaps_proxy.py: moto keeps
one policy per function and ignores the Qualifier (a statement added for an alias shows in the
function's own policy, and GetPolicy of the alias answers the function's). Lambda keeps one
policy per qualifier; this answers AddPermission, GetPolicy and RemovePermission with a
Qualifier from memory, in the Lambda API reference's shapes:

- AddPermission (201, {"Statement": JSON text}): the statement as Lambda writes it (Principal
  "*", {"Service": ...} or {"AWS": "arn:aws:iam::ID:root" | ARN}; Resource the qualified ARN;
  SourceArn as ArnLike AWS:SourceArn, SourceAccount / PrincipalOrgID / FunctionUrlAuthType as
  StringEquals conditions); ResourceConflictException (409) for a Sid already there.
- GetPolicy ({"Policy": JSON text, "RevisionId"}); ResourceNotFoundException (404) when the
  qualifier has no policy, or no such alias.
- RemovePermission (204); ResourceNotFoundException when the Sid is not there.

Requests without a Qualifier go to moto unchanged. reset() forgets every policy.
"""
import json
import re
import threading
import urllib.parse
import uuid

POLICY = re.compile(r"/2015-03-31/functions/([^/]+)/policy(?:/([^/]+))?")
policies = {}  # (function name, qualifier) -> [statement]
lock = threading.Lock()


def reset():
    with lock:
        policies.clear()


def principal_of(value):
    if value == "*":
        return "*"
    if value.endswith(".amazonaws.com"):
        return {"Service": value}
    if re.fullmatch(r"\d{12}", value):
        return {"AWS": f"arn:aws:iam::{value}:root"}
    return {"AWS": value}


def statement_of(request, resource):
    statement = {"Sid": request["StatementId"], "Effect": "Allow", "Principal": principal_of(request["Principal"]),
                 "Action": request["Action"], "Resource": resource}
    condition = {}
    if "SourceArn" in request:
        condition.setdefault("ArnLike", {})["AWS:SourceArn"] = request["SourceArn"]
    for member, key in (("SourceAccount", "AWS:SourceAccount"), ("PrincipalOrgID", "aws:PrincipalOrgID"),
                        ("FunctionUrlAuthType", "lambda:FunctionUrlAuthType")):
        if member in request:
            condition.setdefault("StringEquals", {})[key] = request[member]
    if condition:
        statement["Condition"] = condition
    return statement


def handle(handler, path, body, function_arn, alias_exists):
    """Answers a qualified policy request; False for one that goes to moto."""
    parsed = urllib.parse.urlparse(path)
    match = POLICY.fullmatch(parsed.path)
    qualifier = urllib.parse.parse_qs(parsed.query).get("Qualifier", [""])[0]
    if not match or not qualifier:
        return False
    ref, sid = urllib.parse.unquote(match.group(1)), match.group(2)
    name = ref.split(":")[6] if ref.startswith("arn:") else ref
    arn = function_arn(name)
    if arn is None or (not qualifier.isdigit() and not alias_exists(name, qualifier)):
        handler.error(404, "ResourceNotFoundException", f"Function not found: {name}:{qualifier}")
        return True
    key = (name, qualifier)
    with lock:
        statements = policies.setdefault(key, [])
        if handler.command == "POST" and sid is None:
            request = json.loads(body or b"{}")
            if any(s["Sid"] == request.get("StatementId") for s in statements):
                handler.error(409, "ResourceConflictException", f"The statement id ({request.get('StatementId')}) provided already exists.")
                return True
            statement = statement_of(request, f"{arn}:{qualifier}")
            statements.append(statement)
            handler.reply(201, {"Statement": json.dumps(statement)})
        elif handler.command == "DELETE" and sid is not None:
            sid = urllib.parse.unquote(sid)
            if not any(s["Sid"] == sid for s in statements):
                handler.error(404, "ResourceNotFoundException", f"Statement {sid} is not found in resource policy.")
                return True
            statements[:] = [s for s in statements if s["Sid"] != sid]
            handler.reply(204)
        elif handler.command == "GET" and sid is None:
            if not statements:
                handler.error(404, "ResourceNotFoundException", "The resource you requested does not exist.")
                return True
            policy = {"Version": "2012-10-17", "Id": "default", "Statement": statements}
            handler.reply(200, {"Policy": json.dumps(policy), "RevisionId": str(uuid.uuid4())})
        else:
            return False
    return True
