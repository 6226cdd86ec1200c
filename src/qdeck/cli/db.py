from __future__ import annotations

import asyncio

import typer

from qdeck.config import Settings
from qdeck.db import migrate
from qdeck.db.engine import create_engines

app = typer.Typer(help="Database schema: upgrade and inspect migrations.", no_args_is_help=True)


@app.command("upgrade")
def upgrade(revision: str = typer.Argument("head", help="Target revision.")) -> None:
    """Migrate the database to the latest schema (or to REVISION).

    Example: qdeck db upgrade
    """
    migrate.upgrade(Settings(), revision)
    typer.echo(f"database at {revision}")


@app.command("downgrade")
def downgrade(revision: str = typer.Argument(..., help="Target revision, e.g. base.")) -> None:
    """Migrate the database back to REVISION (destroys data of newer tables).

    Example: qdeck db downgrade base
    """
    migrate.downgrade(Settings(), revision)
    typer.echo(f"database at {revision}")


@app.command("current")
def current() -> None:
    """Print the database's current migration and the latest one.

    Example: qdeck db current
    """

    async def read() -> str | None:
        reader, writer = create_engines(Settings())
        try:
            async with reader.connect() as connection:
                return await connection.run_sync(migrate.current_revision)
        finally:
            await reader.dispose()
            if writer is not reader:
                await writer.dispose()

    revision = asyncio.run(read())
    head = migrate.head_revision()
    state = "up to date" if revision == head else "needs 'qdeck db upgrade'"
    typer.echo(f"current: {revision or 'none'}  head: {head}  ({state})")
