"""A TCP proxy in front of a real qdeck server that fails the way networks and gateways do.

Each new client connection takes the next planned fault (then ``forward``):

* ``forward``: pass bytes both ways untouched.
* ``lose_response``: forward the request, wait until the server starts answering (it has
  committed by then), then drop the connection: the response is lost.
* ``stall``: read the request, never answer.
* ``502`` / ``503``: answer like a gateway whose upstream is down; nothing is forwarded.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections import deque

from qdeck.testing.live_server import free_port

GATEWAY_PAGE = b"<html><body>upstream unavailable</body></html>"


def _read_request(conn: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        body += conn.recv(65536)
    return head + b"\r\n\r\n" + body


def _pump(source: socket.socket, target: socket.socket) -> None:
    try:
        while chunk := source.recv(65536):
            target.sendall(chunk)
    except OSError:
        pass
    finally:
        for end in (source, target):
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)


class FaultyProxy:
    def __init__(self, upstream_port: int, port: int | None = None) -> None:
        self.upstream = ("127.0.0.1", upstream_port)
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.plan: deque[str] = deque()
        self.connections: list[str] = []  # the fault each connection got, in order
        self._listener: socket.socket | None = None

    def start(self) -> FaultyProxy:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        self._listener = listener
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._listener is not None:
            self._listener.close()

    def _accept(self) -> None:
        assert self._listener is not None
        while True:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            fault = self.plan.popleft() if self.plan else "forward"
            self.connections.append(fault)
            threading.Thread(target=self._serve, args=(conn, fault), daemon=True).start()

    def _serve(self, conn: socket.socket, fault: str) -> None:
        if fault == "forward":
            upstream = socket.create_connection(self.upstream)
            threading.Thread(target=_pump, args=(upstream, conn), daemon=True).start()
            _pump(conn, upstream)
            return
        request = _read_request(conn)
        if fault in ("502", "503"):
            reason = b"Bad Gateway" if fault == "502" else b"Service Unavailable"
            conn.sendall(
                b"HTTP/1.1 " + fault.encode() + b" " + reason + b"\r\nRetry-After: 0\r\n"
                b"Content-Type: text/html\r\nConnection: close\r\n"
                b"Content-Length: " + str(len(GATEWAY_PAGE)).encode() + b"\r\n\r\n" + GATEWAY_PAGE
            )
        elif fault == "lose_response":
            with socket.create_connection(self.upstream) as upstream:
                upstream.sendall(request)
                upstream.recv(1)  # the server answers only after committing
        elif fault == "stall":
            threading.Event().wait(30)
        conn.close()
