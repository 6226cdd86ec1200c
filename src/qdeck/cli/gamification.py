"""``qdeck me`` (level, XP, streak, from the server you are logged in to) and
``qdeck gamification backfill`` (on this machine's database, like ``qdeck db``)."""

from __future__ import annotations

import asyncio
import json
from typing import Annotated

import typer

from qdeck.cli.remote import EXIT_CODES_HELP, connect, friendly, out

app = typer.Typer(
    help=f"Gamification: XP, levels, streaks, achievements.\n\n{EXIT_CODES_HELP}\n\n"
    "Example: qdeck gamification backfill",
    no_args_is_help=True,
)


@friendly
def me(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """Your level, XP, streak and today's job XP against the daily cap.

    Example: qdeck me
    """
    with connect() as client:
        mine = client.gamification.me()
    if as_json:
        print(json.dumps(mine.model_dump(mode="json"), indent=2))
        return
    span = max(1, mine.next_level_xp - mine.level_floor)
    into = mine.xp - mine.level_floor
    filled = round(20 * into / span)
    out.print(f"[bold]{mine.display_name}[/bold]  level {mine.level}  ·  {mine.xp:,} XP")
    out.print(f"[{'#' * filled}{'.' * (20 - filled)}] {into}/{span} XP to level {mine.level + 1}")
    streak = mine.streak
    freezes = f"{streak.freezes} freeze{'s' if streak.freezes != 1 else ''}"
    today = "active today" if streak.active_today else "not yet active today"
    out.print(
        f"streak {streak.current} day{'s' if streak.current != 1 else ''} ({today}; "
        f"longest {streak.longest}; {freezes} held)"
    )
    out.print(
        f"job XP today {mine.job_xp_today}/{mine.daily_job_xp_cap}  ·  league {mine.league_name}"
    )


@app.command("backfill")
def backfill(
    rebuild: Annotated[
        bool,
        typer.Option(
            "--rebuild",
            help="Forget the ledger and what is derived from it first, then recompute "
            "(achievement awards and their badge ids are kept).",
        ),
    ] = False,
) -> None:
    """Award XP, streaks and achievements for everything in the database's history that
    the ledger does not hold yet. Safe to run again: nothing is counted twice.

    Example: qdeck gamification backfill
    """
    from qdeck.config import Settings
    from qdeck.db.engine import Database
    from qdeck.services import Services

    async def run():
        settings = Settings()
        database = Database(settings)
        try:
            async with database.session() as session:
                return await Services(session, settings).gamification.backfill(
                    None, rebuild=rebuild
                )
        finally:
            await database.dispose()

    report = asyncio.run(run())
    typer.echo(f"{report.facts} facts in history, {report.applied} newly applied")
