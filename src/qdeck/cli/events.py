"""``qdeck events``: the outbox consumers on this server's database (an admin's tool, like
``qdeck db``; it reads the same settings as ``qdeck serve``)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from qdeck.config import Settings
from qdeck.db.engine import Database
from qdeck.domains import build_registry
from qdeck.errors import QdeckError
from qdeck.events.admin import EventAdminService
from qdeck.services import Services

app = typer.Typer(help="Event consumers: lag, parked events, retry.", no_args_is_help=True)
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def _run(work: Callable[[EventAdminService], Awaitable[Any]]) -> Any:
    settings = Settings()

    async def run() -> Any:
        database = Database(settings)
        try:
            async with database.session() as session:
                return await work(Services(session, settings, build_registry(settings)).events)
        finally:
            await database.dispose()

    try:
        return asyncio.run(run())
    except QdeckError as exc:
        typer.echo(f"error: {exc.detail}", err=True)
        raise typer.Exit(1) from None


@app.command("consumers")
def consumers(as_json: JsonOption = False) -> None:
    """Each consumer's position, lag and parked events.

    Example: qdeck events consumers
    """
    rows = _run(lambda admin: admin.consumers())
    if as_json:
        typer.echo(json.dumps([r.model_dump(mode="json") for r in rows], indent=2))
        return
    table = Table("consumer", "position", "lag", "oldest unhandled", "parked", "retrying at")
    for r in rows:
        oldest = (
            r.oldest_unhandled_at.isoformat(timespec="seconds") if r.oldest_unhandled_at else ""
        )
        retry = r.retry_at.isoformat(timespec="seconds") if r.retry_at else ""
        table.add_row(r.name, str(r.position), str(r.lag), oldest, str(r.parked), retry)
    Console().print(table)


@app.command("parked")
def parked(
    consumer: Annotated[str | None, typer.Option(help="Only this consumer's.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Events a consumer gave up on, with the last error.

    Example: qdeck events parked --consumer activity
    """
    rows = _run(lambda admin: admin.parked(consumer))
    if as_json:
        typer.echo(json.dumps([r.model_dump(mode="json") for r in rows], indent=2))
        return
    table = Table("id", "consumer", "event", "type", "attempts", "last error")
    for r in rows:
        table.add_row(
            str(r.id),
            r.consumer,
            str(r.event_id),
            r.event_type or "?",
            str(r.attempts),
            r.last_error[:80],
        )
    Console().print(table)


@app.command("retry")
def retry(
    failure_id: Annotated[int, typer.Argument(help="The id `qdeck events parked` shows.")],
) -> None:
    """Run the consumer's handler on a parked event again.

    Example: qdeck events retry 12
    """
    _run(lambda admin: admin.retry(failure_id))
    typer.echo(f"parked event {failure_id} handled")
