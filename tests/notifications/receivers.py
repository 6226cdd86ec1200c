"""Real receivers on loopback for the channel tests: an HTTP server that checks every
webhook with the ``standardwebhooks`` library, and an SMTP server (aiosmtpd).

Both run in threads of their own, so they keep answering while a test's event loop
waits, and outlive a ``qdeck serve`` that is killed and started again.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
import threading
import time
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

import uvicorn
from aiosmtpd.controller import Controller
from standardwebhooks.webhooks import Webhook, WebhookVerificationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    # For each secret the receiver held: did Webhook.verify accept the request?
    verified: dict[str, bool]
    status: int

    @property
    def id(self) -> str:
        return self.headers.get("webhook-id", "")

    def json(self) -> Any:
        import json

        return json.loads(self.body)


@dataclass
class Script:
    """How one path answers: the statuses to give, in order, then ``then``."""

    statuses: list[int] = field(default_factory=list)
    then: int = 200
    delay: float = 0.0
    # Secrets the receiver verifies with (each one separately).
    secrets: list[str] = field(default_factory=list)


class WebhookReceiver:
    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.scripts: dict[str, Script] = {}
        self.received: list[Received] = []
        self._lock = threading.Lock()
        app = Starlette(routes=[Route("/{path:path}", self._handle, methods=["POST", "GET"])])
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    def start(self) -> WebhookReceiver:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the receiver did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)

    def script(self, path: str, **kwargs: Any) -> str:
        """Set how ``path`` answers; returns its URL."""
        self.scripts["/" + path.lstrip("/")] = Script(**kwargs)
        return f"{self.url}/{path.lstrip('/')}"

    def at(self, path: str) -> list[Received]:
        with self._lock:
            return [r for r in self.received if r.path == "/" + path.lstrip("/")]

    async def _handle(self, request: Request) -> Response:
        body = await request.body()
        headers = {k.lower(): v for k, v in request.headers.items()}
        path = request.url.path
        script = self.scripts.setdefault(path, Script())
        verified = {}
        for secret in script.secrets:
            try:
                Webhook(secret).verify(body, headers)
                verified[secret] = True
            except WebhookVerificationError:
                verified[secret] = False
        with self._lock:
            status = script.statuses.pop(0) if script.statuses else script.then
            self.received.append(Received(path, headers, body, verified, status))
        if script.delay:
            await asyncio.sleep(script.delay)
        return Response(f"status {status} from the test receiver", status_code=status)


class _Collect:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(message)  # type: ignore[arg-type]
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"


class SmtpSink:
    """aiosmtpd's Controller on loopback: every message sent to it is kept."""

    def __init__(self) -> None:
        self.port = free_port()
        self.handler = _Collect()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    @property
    def messages(self) -> list[EmailMessage]:
        return self.handler.messages

    def start(self) -> SmtpSink:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()
