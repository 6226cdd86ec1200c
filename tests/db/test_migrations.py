"""The migration history builds the schema the models describe, both ways, on this database."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from qdeck.db import migrate
from qdeck.db.all_models import Base
from qdeck.db.autogenerate import include_name
from qdeck.db.engine import create_engines
from tests.conftest import PG_URL, _drop_schema, make_settings


def _settings(tmp_path: Path):
    settings = make_settings(tmp_path)
    if PG_URL:
        settings = make_settings(tmp_path, database_schema=f"{settings.database_schema}_migrations")
        _drop_schema(settings.database_schema or "")
    return settings


def _inspect(settings, fn):
    async def run():
        reader, writer = create_engines(settings)
        try:
            async with writer.connect() as connection:
                return await connection.run_sync(fn)
        finally:
            await reader.dispose()
            if writer is not reader:
                await writer.dispose()

    return asyncio.run(run())


def _tables(connection) -> set[str]:
    names = set(inspect(connection).get_table_names()) - {"alembic_version"}
    return {name for name in names if include_name(name, "table", {})}


def _diff(connection) -> list:
    context = MigrationContext.configure(
        connection,
        opts={"compare_type": True, "compare_server_default": True, "include_name": include_name},
    )
    return compare_metadata(context, Base.metadata)


def test_upgrade_downgrade_upgrade_matches_models(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    expected = {table.name for table in Base.metadata.sorted_tables}

    migrate.upgrade(settings)
    assert _inspect(settings, _tables) == expected
    assert _inspect(settings, migrate.current_revision) == migrate.head_revision()

    migrate.downgrade(settings, "base")
    assert _inspect(settings, _tables) == set()
    assert _inspect(settings, migrate.current_revision) is None

    migrate.upgrade(settings)
    assert _inspect(settings, _tables) == expected
    assert _inspect(settings, _diff) == [], "models and migrations disagree; add a migration"
    if PG_URL:
        _drop_schema(settings.database_schema or "")


def test_the_domain_is_all_there(tmp_path: Path) -> None:
    names = {table.name for table in Base.metadata.sorted_tables}
    for table in (
        "users", "api_tokens", "workspaces", "memberships", "projects", "jobs", "job_events",
        "quantum_sessions", "notifications", "xp_ledger", "achievement_awards", "challenges",
        "challenge_attempts", "chat_messages", "shared_documents", "activity_entries", "audit_log",
    ):  # fmt: skip
        assert table in names
    job_indexes = {
        tuple(c.name for c in index.columns) for index in Base.metadata.tables["jobs"].indexes
    }
    assert ("workspace_id", "created_at", "id") in job_indexes
    assert ("workspace_id", "status", "created_at", "id") in job_indexes
    assert ("workspace_id", "backend", "created_at", "id") in job_indexes
    tag_indexes = {
        tuple(c.name for c in index.columns) for index in Base.metadata.tables["job_tags"].indexes
    }
    assert ("workspace_id", "tag", "job_id") in tag_indexes
