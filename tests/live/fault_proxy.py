"""A small HTTP proxy in front of moto, for fault injection and for recording what was called.

`byokcheck live --endpoint-url` points at the proxy; the proxy forwards each request to the
upstream moto server, one request per connection (`Connection: close`), and can:

- record every request's AWS action (`kms:DescribeKey`, `iam:GetRole`, ...), so a test can
  assert that a run only read;
- delay every response by `delay` seconds (slow network, to exercise `--timeout`);
- forward only the first `forward_limit` requests, then call `on_limit` once (the tests kill
  the moto process there) and drop every later connection without an answer.

Used in-process by the tests (`FaultProxy(...).start()`), or by hand:

    python fault_proxy.py --upstream http://127.0.0.1:5000 --port 5001 --delay 5
"""

from __future__ import annotations

import argparse
import http.client
import os
import signal
import socket
import threading
import urllib.parse
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, List, Optional

# Headers that belong to one hop, not to the request or response itself.
HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "proxy-connection",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
}

# The signing name in the Authorization header's credential scope, mapped to the IAM prefix.
SERVICE_PREFIX = {"kms": "kms", "iam": "iam", "sts": "sts"}


@dataclass
class Request:
    """One request the proxy saw."""

    method: str
    path: str
    action: str
    forwarded: bool


def action_of(headers: "http.client.HTTPMessage", body: bytes) -> str:
    """The AWS action of a request: `kms:DescribeKey`, `iam:GetRole`, or `?` when unknown."""
    service = "?"
    auth = headers.get("Authorization", "")
    # AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/kms/aws4_request, ...
    if "Credential=" in auth:
        scope = auth.split("Credential=", 1)[1].split(",", 1)[0].split("/")
        if len(scope) >= 4:
            service = SERVICE_PREFIX.get(scope[3], scope[3])
    target = headers.get("X-Amz-Target")
    if target:
        # JSON protocol: `TrentService.DescribeKey`.
        return f"{service}:{target.rsplit('.', 1)[-1]}"
    if body:
        # Query protocol: form-encoded `Action=GetRole&Version=...`.
        try:
            form = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
        except ValueError:
            form = {}
        if form.get("Action"):
            return f"{service}:{form['Action'][0]}"
    # Smithy RPC v2 CBOR: `/service/<Service>/operation/<Operation>`.
    return f"{service}:?"


class FaultProxy:
    """An HTTP proxy on 127.0.0.1 (a free port) in front of `upstream`."""

    def __init__(
        self,
        upstream: str,
        *,
        delay: float = 0.0,
        forward_limit: Optional[int] = None,
        on_limit: Optional[Callable[[], None]] = None,
        port: int = 0,
    ) -> None:
        parsed = urllib.parse.urlsplit(upstream)
        if parsed.scheme != "http" or not parsed.hostname or not parsed.port:
            raise ValueError(f"upstream must be http://HOST:PORT, got {upstream!r}")
        self.upstream_host: str = parsed.hostname
        self.upstream_port: int = parsed.port
        self.delay = delay
        self.forward_limit = forward_limit
        self.on_limit = on_limit
        self.requests: List[Request] = []
        self._lock = threading.Lock()
        self._count = 0
        self._limit_reached = False
        self._stopping = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", port), self._handler_class())
        self._server.daemon_threads = True
        self._thread: Optional[threading.Thread] = None

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def actions(self) -> List[str]:
        with self._lock:
            return [r.action for r in self.requests]

    def start(self) -> "FaultProxy":
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="fault-proxy", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._server.shutdown()  # waits for serve_forever, which only runs once started
            self._thread.join(timeout=5)
            self._thread = None
        self._server.server_close()

    def __enter__(self) -> "FaultProxy":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- what a handler asks the proxy -------------------------------------------------------

    def _admit(self) -> bool:
        """Counts a request; True when it is to be forwarded."""
        with self._lock:
            self._count += 1
            if self._limit_reached:
                return False
            return self.forward_limit is None or self._count <= self.forward_limit

    def _after_forward(self) -> None:
        """After a forwarded response: fires `on_limit` once the limit is used up."""
        fire = False
        with self._lock:
            if (
                self.forward_limit is not None
                and not self._limit_reached
                and self._count >= self.forward_limit
            ):
                self._limit_reached = True
                fire = True
        if fire and self.on_limit is not None:
            self.on_limit()

    def _record(self, request: Request) -> None:
        with self._lock:
            self.requests.append(request)

    def _handler_class(self) -> type:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass  # quiet: pytest shows the test's own output

            def _body(self) -> bytes:
                if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
                    chunks = []
                    while True:
                        size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                        if size == 0:
                            while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                                pass
                            break
                        chunks.append(self.rfile.read(size))
                        self.rfile.readline()
                    return b"".join(chunks)
                length = int(self.headers.get("Content-Length") or 0)
                return self.rfile.read(length) if length else b""

            def _drop(self) -> None:
                """Closes the connection without an answer."""
                self.close_connection = True
                try:
                    self.connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

            def _handle(self) -> None:
                body = self._body()
                action = action_of(self.headers, body)
                if not proxy._admit():
                    proxy._record(Request(self.command, self.path, action, False))
                    self._drop()
                    return
                proxy._record(Request(self.command, self.path, action, True))
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
                headers["Content-Length"] = str(len(body))
                upstream = http.client.HTTPConnection(
                    proxy.upstream_host, proxy.upstream_port, timeout=60
                )
                try:
                    upstream.request(self.command, self.path, body=body, headers=headers)
                    response = upstream.getresponse()
                    payload = response.read()
                    status, reason = response.status, response.reason
                    answer = [
                        (k, v)
                        for k, v in response.getheaders()
                        if k.lower() not in HOP_BY_HOP and k.lower() != "content-length"
                    ]
                except OSError:
                    self._drop()
                    return
                finally:
                    upstream.close()
                if proxy.delay and proxy._stopping.wait(proxy.delay):
                    self._drop()
                    return
                try:
                    self.send_response_only(status, reason)
                    for key, value in answer:
                        self.send_header(key, value)
                    self.send_header("Content-Length", str(len(payload)))
                    self.send_header("Connection", "close")
                    self.end_headers()
                    self.wfile.write(payload)
                    self.wfile.flush()
                except OSError:
                    pass  # the client gave up waiting (the slow-response test)
                self.close_connection = True
                proxy._after_forward()

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = _handle

        return Handler


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--upstream", required=True, help="http://HOST:PORT of the moto server")
    parser.add_argument("--port", type=int, default=0, help="port to listen on (0: a free one)")
    parser.add_argument("--delay", type=float, default=0.0, help="seconds to hold each response")
    parser.add_argument("--forward-limit", type=int, help="forward this many requests, then drop")
    parser.add_argument("--kill-pid", type=int, help="process to SIGKILL when the limit is used up")
    args = parser.parse_args()

    def kill() -> None:
        if args.kill_pid:
            os.kill(args.kill_pid, signal.SIGKILL)

    proxy = FaultProxy(
        args.upstream,
        delay=args.delay,
        forward_limit=args.forward_limit,
        on_limit=kill,
        port=args.port,
    )
    print(f"fault proxy on {proxy.url} -> {args.upstream}", flush=True)
    proxy.start()
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        proxy.stop()


if __name__ == "__main__":
    main()
