"""A server killed with SIGKILL leaves no process behind: job workers, NiceGUI's CPU pool
and multiprocessing's resource tracker all exit within 5 seconds. Before: the server's
pool processes and resource tracker (and, when killed while they were starting, its job
workers) kept running until stopped by hand."""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

import psutil
import pytest

from tests.live_server import LiveServer

pytestmark = pytest.mark.slow
WORKERS = 2
# Job workers, NiceGUI's two warmed CPU processes, the resource tracker.
EXPECTED_CHILDREN = WORKERS + 2 + 1


def _alive(processes: list[psutil.Process]) -> list[str]:
    alive = []
    for process in processes:
        try:
            if process.status() != psutil.STATUS_ZOMBIE:
                alive.append(f"{process.pid}: {' '.join(process.cmdline())[:120]}")
        except psutil.NoSuchProcess:
            pass
    return alive


def test_no_child_outlives_a_killed_server(tmp_path: Path) -> None:
    server = LiveServer(tmp_path / "data", QDECK_WORKERS=str(WORKERS)).start()
    children: list[psutil.Process] = []
    try:
        # Kill as soon as every child exists: some are still importing Qiskit, the
        # window in which PR_SET_PDEATHSIG alone used to miss the parent's death.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            children = server.children()
            if len(children) >= EXPECTED_CHILDREN:
                break
            time.sleep(0.1)
        assert len(children) >= EXPECTED_CHILDREN, [c.cmdline() for c in children]
        server.kill()
        deadline = time.monotonic() + 5
        while _alive(children) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _alive(children) == []
    finally:
        for process in children:
            with contextlib.suppress(psutil.NoSuchProcess):
                process.kill()
        server.stop()
