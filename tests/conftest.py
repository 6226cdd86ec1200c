"""Shared fixtures: a real database built by migrations, isolated per test, and the real app.

SQLite (default): the schema is migrated once into a template file; every test gets a copy.
PostgreSQL (QDECK_TEST_DATABASE_URL=postgresql+asyncpg://...): the schema is migrated once
into a schema of its own per xdist worker; every test starts from emptied tables.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import os
import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from httpx import ASGITransport, AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from qdeck.app import create_app
from qdeck.config import Settings
from qdeck.db import migrate
from qdeck.db.all_models import Base
from qdeck.engine.local_runner import LocalProcessRunner
from tests.accounts import Accounts

PG_URL = os.environ.get("QDECK_TEST_DATABASE_URL", "")
TEST_SECRET = "test-instance-secret-not-for-production"


def _worker() -> str:
    # QDECK_TEST_SCHEMA_TAG keeps two suites running at once on one PostgreSQL apart.
    tag = os.environ.get("QDECK_TEST_SCHEMA_TAG", "")
    return tag + os.environ.get("PYTEST_XDIST_WORKER", "main")


def make_settings(data_dir: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "data_dir": data_dir,
        "secret_key": TEST_SECRET,
        "auto_migrate": False,
        "log_level": "WARNING",
        # Suites sign up dozens of people from 127.0.0.1; tests/auth checks the real limit.
        "signup_max_per_address": 10_000,
    }
    if PG_URL:
        values["database_url"] = PG_URL
        values["database_schema"] = f"qdeck_test_{_worker()}"
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Migrate once per session: a template SQLite file, or the worker's PostgreSQL schema."""
    template_dir = tmp_path_factory.mktemp("template")
    settings = make_settings(template_dir)
    if PG_URL:
        _drop_schema(settings.database_schema or "")
    migrate.upgrade(settings)
    yield template_dir


def _drop_schema(schema: str) -> None:
    import asyncio

    async def drop() -> None:
        engine = create_async_engine(PG_URL)
        async with engine.begin() as connection:
            await connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        await engine.dispose()

    # In a thread of its own: callers may be inside the session's running event loop.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, drop()).result()


@pytest.fixture
async def settings(migrated_template: Path, tmp_path: Path) -> Settings:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    settings = make_settings(data_dir)
    if PG_URL:
        await _empty_tables(settings)
    else:
        shutil.copy(migrated_template / "qdeck.db", data_dir / "qdeck.db")
    return settings


async def _empty_tables(settings: Settings) -> None:
    names = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
    engine = create_async_engine(
        PG_URL, connect_args={"server_settings": {"search_path": settings.database_schema or ""}}
    )
    async with engine.begin() as connection:
        await connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    await engine.dispose()


@pytest.fixture(scope="session")
async def runner() -> AsyncIterator[LocalProcessRunner]:
    """Real worker processes, warmed once and shared by every test's app."""
    shared = LocalProcessRunner(workers=2, warm_backends=["aer_simulator"])
    await shared.start()
    await shared.wait_ready()
    yield shared
    await shared.stop()


@pytest.fixture
async def app(settings: Settings, runner: LocalProcessRunner) -> AsyncIterator[object]:
    application = create_app(settings, runner=runner)
    async with application.router.lifespan_context(application):
        yield application
    # Leave the shared workers idle for the next test.
    for job_id in list(runner.worker_pids()):
        await runner.cancel(job_id)
    await runner.wait_ready()


@pytest.fixture
async def client(app: object) -> AsyncIterator[AsyncClient]:
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://testserver") as c:  # type: ignore[arg-type]
        yield c


@pytest.fixture
def app_with(settings: Settings, runner: LocalProcessRunner):
    """An app with some settings changed, and a client for it: ``async with app_with(
    base_url="https://t", cors_origins="...") as (app, client)``."""

    @contextlib.asynccontextmanager
    async def build(base_url: str = "http://testserver", **overrides: object):
        # Through Settings again, so that overrides are validated like real configuration.
        changed = Settings(**{**settings.model_dump(), **overrides})
        application = create_app(changed, runner=runner)
        async with (
            application.router.lifespan_context(application),
            AsyncClient(transport=ASGITransport(app=application), base_url=base_url) as client,
        ):
            yield application, client

    return build


@pytest.fixture
def accounts_factory():
    """Accounts against an app a test built itself (close them before the app stops)."""
    return Accounts


@pytest.fixture
async def accounts(app: object) -> AsyncIterator[Accounts]:
    registry = Accounts(app)
    yield registry
    await registry.close()
