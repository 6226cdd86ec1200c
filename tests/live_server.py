"""A real ``qdeck serve`` process on a free port, for tests that need one: crash recovery,
the CLI and SDK, several servers sharing a database."""

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

from tests.conftest import PG_URL, TEST_SECRET, _drop_schema


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    def __init__(self, data_dir: Path, *, schema: str | None = None, **env: str) -> None:
        self.data_dir = data_dir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "QDECK_DATA_DIR": str(data_dir),
            "QDECK_SECRET_KEY": TEST_SECRET,
            "QDECK_PORT": str(self.port),
            "QDECK_WORKERS": "2",
            "QDECK_LOG_LEVEL": "WARNING",
            **env,
        }
        if PG_URL:
            self.env["QDECK_DATABASE_URL"] = PG_URL
            self.schema = schema or f"qdeck_live_{data_dir.parent.name}"[:60]
            self.env["QDECK_DATABASE_SCHEMA"] = self.schema
            # A schema left by an earlier run would hold its accounts and jobs.
            _drop_schema(self.schema)
        self.process: subprocess.Popen[bytes] | None = None
        self.log = data_dir / "server.log"

    def start(self, limit_seconds: float = 90) -> LiveServer:
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
