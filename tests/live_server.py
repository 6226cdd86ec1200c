"""The live server for tests: qdeck.testing's, pointed at the test database."""

from __future__ import annotations

from pathlib import Path

from qdeck.testing.live_server import LiveServer as _LiveServer
from qdeck.testing.live_server import free_port
from tests.conftest import PG_URL, TEST_SECRET, _drop_schema, _worker

__all__ = ["LiveServer", "free_port"]


class LiveServer(_LiveServer):
    def __init__(
        self, data_dir: Path, *, schema: str | None = None, fresh: bool = True, **env: str
    ) -> None:
        extra = {"QDECK_SECRET_KEY": TEST_SECRET, "QDECK_WORKERS": "2", **env}
        # The PostgreSQL schema the server uses (None on SQLite), for tests that read it.
        self.schema: str | None = None
        if PG_URL:
            # The worker's name in it: xdist workers (and suites run side by side) hand out
            # the same temporary folder names.
            base = (schema or f"qdeck_live_{data_dir.parent.name}")[:40]
            schema = self.schema = f"{base}_{_worker()}"[:63]
            if fresh:
                # A schema left by an earlier run would hold its accounts and jobs.
                _drop_schema(schema)
            extra |= {"QDECK_DATABASE_URL": PG_URL, "QDECK_DATABASE_SCHEMA": schema}
        super().__init__(data_dir, **extra)
