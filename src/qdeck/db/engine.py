"""Engines and the unit-of-work scope.

SQLite is made safe for concurrent requests the way Prefect does it: WAL so readers never
block the writer, a busy timeout, and writers that take the write lock up front
(``BEGIN IMMEDIATE``) through a single pooled connection, so two writers queue instead of
failing with "database is locked" when a read transaction tries to upgrade.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from qdeck.config import Settings
from qdeck.errors import QdeckError
from qdeck.events.outbox import write_pending

SQLITE_BUSY_TIMEOUT_MS = 30_000
AfterCommit = Callable[[], Awaitable[None]]


def _sqlite_engine(url: str, *, begin: str, pool_size: int) -> AsyncEngine:
    engine = create_async_engine(
        url, pool_size=pool_size, max_overflow=0, pool_timeout=60, pool_pre_ping=False
    )

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when and how transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql(begin)

    return engine


def create_engines(settings: Settings) -> tuple[AsyncEngine, AsyncEngine]:
    """Return (reader, writer) engines; on PostgreSQL they are the same engine."""
    url = settings.resolved_database_url
    if settings.is_sqlite:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        reader = _sqlite_engine(url, begin="BEGIN", pool_size=5)
        writer = _sqlite_engine(url, begin="BEGIN IMMEDIATE", pool_size=1)
        return reader, writer
    connect_args: dict[str, Any] = {}
    if settings.database_schema:
        connect_args["server_settings"] = {"search_path": settings.database_schema}
    engine = create_async_engine(
        url, pool_size=10, max_overflow=10, pool_pre_ping=True, connect_args=connect_args
    )
    return engine, engine


class Database:
    """Owns the engines and hands out sessions; the scope commits, services only flush."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        # Told the newest outbox id after each commit that stored events (the relay, so
        # that live delivery does not wait for its next poll).
        self.on_events_committed: Callable[[list[Any]], None] | None = None
        self.reader, self.writer = create_engines(settings)
        self._read = async_sessionmaker(self.reader, expire_on_commit=False)
        self._write = async_sessionmaker(self.writer, expire_on_commit=False)

    @asynccontextmanager
    async def session(self, *, write: bool = True) -> AsyncIterator[AsyncSession]:
        """One unit of work: committed when the block succeeds, rolled back otherwise.

        Events emitted with ``events.outbox.emit`` are stored in the same transaction.
        Callbacks registered with ``after_commit(session, fn)`` run only once the commit
        has succeeded, so nobody is told about a change that was rolled back.
        """
        maker = self._write if write else self._read
        stored: list[Any] = []
        async with maker() as session:
            try:
                yield session
                stored = await write_pending(session)
                await session.commit()
            except QdeckError:
                # A domain error normally undoes the unit of work, unless the service
                # marked what it wrote as a record that must stand (a failed log-in).
                if session.info.get("keep_on_error"):
                    stored = await write_pending(session)
                    await session.commit()
                else:
                    stored = []
                    await session.rollback()
                raise
            except BaseException:
                stored = []
                await session.rollback()
                raise
            finally:
                if stored and self.on_events_committed is not None:
                    self.on_events_committed(stored)
        for callback in session.info.pop("after_commit", []):
            await callback()

    async def dispose(self) -> None:
        await self.reader.dispose()
        if self.writer is not self.reader:
            await self.writer.dispose()


def after_commit(session: AsyncSession, callback: AfterCommit) -> None:
    session.info.setdefault("after_commit", []).append(callback)


def keep_on_error(session: AsyncSession) -> None:
    """Commit what was written so far even if the operation ends in a domain error."""
    session.info["keep_on_error"] = True
