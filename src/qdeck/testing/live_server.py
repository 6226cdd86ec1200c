"""A real ``qdeck serve`` process on a free port, started and killed like a user would."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psutil


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    def __init__(self, data_dir: Path, **env: str) -> None:
        self.data_dir = data_dir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        # Not PYTEST_CURRENT_TEST: NiceGUI would take the server for a test and skip its
        # start-up (the CPU pool's warm-up) and tear-down; this is a server as users run it.
        inherited = {k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"}
        self.env = {
            **inherited,
            "QDECK_DATA_DIR": str(data_dir),
            "QDECK_PORT": str(self.port),
            "QDECK_LOG_LEVEL": "WARNING",
            **env,
        }
        self.process: subprocess.Popen[bytes] | None = None
        self.log = data_dir / "server.log"

    def start(self, limit_seconds: float = 120) -> LiveServer:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "qdeck.cli.main", "serve"],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + limit_seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"qdeck serve exited:\n{self.log.read_text()[-3000:]}")
            try:
                if httpx.get(f"{self.url}/readyz", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()  # never leave a half-started server behind
        raise RuntimeError(f"qdeck serve did not become ready:\n{self.log.read_text()[-3000:]}")

    def children(self) -> list[psutil.Process]:
        assert self.process is not None
        return psutil.Process(self.process.pid).children(recursive=True)

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, exactly like a crash or an OOM kill."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def api_client(server: LiveServer, email: str, password: str, name: str = "Bench") -> httpx.Client:
    """Sign up on the server and return a client authenticated with a fresh API token."""
    anonymous = httpx.Client(base_url=server.url, timeout=60)
    signup = anonymous.post(
        "/api/v1/auth/signup", json={"email": email, "password": password, "display_name": name}
    )
    signup.raise_for_status()
    token = anonymous.post(
        "/api/v1/tokens", json={"name": name}, headers={"X-CSRF-Token": signup.json()["csrf_token"]}
    ).json()["token"]
    return httpx.Client(
        base_url=server.url, timeout=60, headers={"Authorization": f"Bearer {token}"}
    )
