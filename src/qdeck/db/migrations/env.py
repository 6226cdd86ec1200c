"""Alembic environment: one history for SQLite and PostgreSQL, driven by qdeck Settings."""

from __future__ import annotations

import asyncio
from typing import Any

from alembic import context
from sqlalchemy import text
from sqlalchemy.engine import Connection

from qdeck.db.all_models import Base
from qdeck.db.autogenerate import include_name
from qdeck.db.engine import create_engines
from qdeck.db.types import StrEnumType, UTCDateTime

config = context.config
target_metadata = Base.metadata


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    # Migrations stay free of qdeck imports: custom types are written as their plain
    # SQL types, which is what the database sees anyway.
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    if type_ == "type" and isinstance(obj, StrEnumType):
        return "sa.String(length=32)"
    return False


def configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        render_item=render_item,
        compare_type=True,
        compare_server_default=True,
        include_name=include_name,
    )


def run_sync(connection: Connection) -> None:
    configure(connection)
    with context.begin_transaction():
        context.run_migrations()


async def run_async() -> None:
    settings = config.attributes["settings"]
    _, writer = create_engines(settings)
    try:
        async with writer.connect() as connection:
            if connection.dialect.name == "postgresql" and settings.database_schema:
                await connection.execute(
                    text(f'CREATE SCHEMA IF NOT EXISTS "{settings.database_schema}"')
                )
                await connection.commit()
            await connection.run_sync(run_sync)
    finally:
        await writer.dispose()


if "connection" in config.attributes:
    run_sync(config.attributes["connection"])
else:
    asyncio.run(run_async())
