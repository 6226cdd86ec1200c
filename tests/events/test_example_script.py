"""examples/watch_a_job.py does what it says against a real server."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from qdeck.testing.live_server import api_client
from tests.accounts import PASSWORD
from tests.live_server import LiveServer

SCRIPT = Path(__file__).parents[2] / "examples" / "watch_a_job.py"


def test_the_example_prints_every_status_change(tmp_path: Path) -> None:
    server = LiveServer(tmp_path / "data", QDECK_WORKERS="1").start()
    try:
        token = api_client(server, "ex@example.org", PASSWORD).headers["Authorization"][7:]
        result = subprocess.run(
            [sys.executable, str(SCRIPT), "--url", server.url, "--token", token],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        server.stop()
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("submitted ")
    statuses = [line.split()[1] for line in lines[1:-1]]
    assert statuses == ["queued", "running", "running", "running", "running", "completed"]
    assert "(executing)" in result.stdout
    assert lines[-1].startswith("counts: {") and "'00'" in lines[-1] and "'11'" in lines[-1]
