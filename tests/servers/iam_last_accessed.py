"""IAM's service last-accessed reports, which moto lacks, for lambda_gaps_proxy.py: answered
from what a test seeds, in the query-protocol XML of the IAM API reference and botocore's model
(GenerateServiceLastAccessedDetailsResult / GetServiceLastAccessedDetailsResult).

- GenerateServiceLastAccessedDetails(Arn, Granularity): a JobId; NoSuchEntity (404) when moto
  has no such role.
- GetServiceLastAccessedDetails(JobId, MaxItems, Marker): the first read of a job answers
  IN_PROGRESS (as IAM does while the job runs), later ones COMPLETED with the role's seeded
  ServicesLastAccessed, paginated (MaxItems, default 100; IsTruncated and Marker); a job whose
  role was seeded with {"fail": "message"} ends FAILED with that Error; an unknown JobId is
  NoSuchEntity. Tracked actions are sent only for an ACTION_LEVEL job.

Seed: POST /_proxy/last-accessed {"ROLE_ARN": [ServiceLastAccessed, ...] | {"fail": "..."}}, and
"_page_size": N to answer N services a page when the caller gives no MaxItems; reset() forgets
jobs, seeds and the page size.
"""
import threading
import urllib.parse
import uuid
from datetime import datetime, timezone
from xml.sax.saxutils import escape

NS = "https://iam.amazonaws.com/doc/2010-05-08/"
seeds = {}  # role ARN -> list of services, or {"fail": message}
jobs = {}  # JobId -> {"arn", "granularity", "reads", "created"}
page_size = [100]
lock = threading.Lock()


def reset():
    with lock:
        seeds.clear()
        jobs.clear()
        page_size[0] = 100


def seed(doc):
    with lock:
        page_size[0] = doc.pop("_page_size", page_size[0])
        seeds.update(doc)


def now():
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def send(handler, status, body):
    data = body.encode()
    handler.send_response(status)
    handler.send_header("Content-Type", "text/xml")
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    handler.wfile.write(data)


def error(handler, status, code, message):
    send(handler, status, f'<ErrorResponse xmlns="{NS}"><Error><Type>Sender</Type><Code>{code}</Code>'
                          f"<Message>{escape(message)}</Message></Error><RequestId>{uuid.uuid4()}</RequestId></ErrorResponse>")


def result(handler, action, inner):
    send(handler, 200, f'<{action}Response xmlns="{NS}"><{action}Result>{inner}</{action}Result>'
                       f"<ResponseMetadata><RequestId>{uuid.uuid4()}</RequestId></ResponseMetadata></{action}Response>")


def element(name, value):
    return "" if value is None else f"<{name}>{escape(str(value))}</{name}>"


def service_xml(service, action_level):
    keys = ("ServiceName", "LastAuthenticated", "ServiceNamespace", "LastAuthenticatedEntity", "LastAuthenticatedRegion",
            "TotalAuthenticatedEntities")
    inner = "".join(element(k, service.get(k)) for k in keys)
    if action_level and "TrackedActionsLastAccessed" in service:
        actions = "".join("<member>" + "".join(element(k, a.get(k)) for k in
                                               ("ActionName", "LastAccessedEntity", "LastAccessedTime", "LastAccessedRegion")) + "</member>"
                          for a in service["TrackedActionsLastAccessed"])
        inner += f"<TrackedActionsLastAccessed>{actions}</TrackedActionsLastAccessed>"
    return f"<member>{inner}</member>"


def handle(handler, params, role_exists):
    """Answers the two actions; returns False for any other request."""
    action = params.get("Action", [""])[0]
    if action == "GenerateServiceLastAccessedDetails":
        arn = params.get("Arn", [""])[0]
        if not role_exists(arn):
            error(handler, 404, "NoSuchEntity", f"The role with ARN {arn} cannot be found.")
            return True
        job = str(uuid.uuid4())
        with lock:
            jobs[job] = {"arn": arn, "granularity": params.get("Granularity", ["SERVICE_LEVEL"])[0], "reads": 0, "created": now()}
        result(handler, action, element("JobId", job))
        return True
    if action == "GetServiceLastAccessedDetails":
        job_id = params.get("JobId", [""])[0]
        with lock:
            job = jobs.get(job_id)
            if job is not None:
                job["reads"] += 1
                reads = job["reads"]
                seeded = seeds.get(job["arn"], [])
        if job is None:
            error(handler, 404, "NoSuchEntity", f"No such job {job_id}.")
            return True
        head = element("JobType", job["granularity"]) + element("JobCreationDate", job["created"])
        if reads == 1:
            result(handler, action, element("JobStatus", "IN_PROGRESS") + head + "<ServicesLastAccessed/>")
            return True
        if isinstance(seeded, dict):
            result(handler, action, element("JobStatus", "FAILED") + head + "<ServicesLastAccessed/>" + element("JobCompletionDate", now()) +
                   f"<Error><Message>{escape(seeded['fail'])}</Message><Code>ServiceFailure</Code></Error>")
            return True
        start = int(params.get("Marker", ["0"])[0] or 0)
        size = int(params.get("MaxItems", [str(page_size[0])])[0] or page_size[0])
        page = seeded[start:start + size]
        more = start + size < len(seeded)
        body = "".join(service_xml(s, job["granularity"] == "ACTION_LEVEL") for s in page)
        result(handler, action, element("JobStatus", "COMPLETED") + head + f"<ServicesLastAccessed>{body}</ServicesLastAccessed>" +
               element("JobCompletionDate", now()) + element("IsTruncated", "true" if more else "false") +
               (element("Marker", start + size) if more else ""))
        return True
    return False


def parse(body):
    return urllib.parse.parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
