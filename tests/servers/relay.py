"""What the loopback proxies in front of moto_server share: sending a request on to moto
and passing its answer back unchanged (framing headers rebuilt for the body as read)."""
import http.client
from http.server import ThreadingHTTPServer

HOP_BY_HOP = ("connection", "transfer-encoding", "content-length")


def forward(upstream, handler, method, path, body=b"", own_read=False):
    """Sends the request to `upstream` (a parsed URL) with the client's headers; a read of the
    proxy's own (`own_read`) goes without the client's body headers. Returns (response, body)."""
    skip = ("connection",) + (("content-length", "content-type") if own_read else ())
    headers = {k: v for k, v in handler.headers.items() if k.lower() not in skip}
    conn = http.client.HTTPConnection(upstream.hostname, upstream.port, timeout=30)
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    return response, response.read()


def relay(handler, response, data):
    """Answers the client with moto's status, headers and body."""
    relay_part(handler, response, data, len(data))


def relay_part(handler, response, data, sent):
    """Moto's status and headers (the whole body's length), then the body's first `sent` bytes."""
    handler.send_response(response.status)
    for k, v in response.getheaders():
        if k.lower() not in HOP_BY_HOP + ("server", "date"):
            handler.send_header(k, v)
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    handler.wfile.write(data[:sent])
    handler.wfile.flush()


class Server(ThreadingHTTPServer):
    """The test servers' HTTP server: a listen backlog for a client with many calls in flight
    (the standard library's 5 drops the rest, which then wait a second for TCP to retry)."""
    request_queue_size = 128
    daemon_threads = True
