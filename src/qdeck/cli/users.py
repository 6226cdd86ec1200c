from __future__ import annotations

import asyncio
import sys
from typing import Annotated

import typer

from qdeck.auth.schemas import PASSWORD_MIN
from qdeck.config import Settings
from qdeck.db import migrate
from qdeck.db.engine import Database
from qdeck.errors import QdeckError
from qdeck.services import Services

app = typer.Typer(help="Manage user accounts.", no_args_is_help=True)


@app.command("create")
def create(
    email: Annotated[str, typer.Argument(help="The new user's e-mail.")],
    name: Annotated[str | None, typer.Option(help="Display name (default: part before @).")] = None,
    admin: Annotated[
        bool, typer.Option("--admin", help="Make the user an instance admin.")
    ] = False,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Create an account (with its personal workspace).

    Example: qdeck user create ada@example.org --admin
    """
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < PASSWORD_MIN:
        typer.echo(f"error: the password needs at least {PASSWORD_MIN} characters", err=True)
        raise typer.Exit(2)
    settings = Settings()
    migrate.upgrade(settings)

    async def run() -> None:
        database = Database(settings)
        try:
            async with database.session() as session:
                await Services(session, settings).auth.create_user(
                    email, password, name or email.split("@")[0], is_admin=admin
                )
        finally:
            await database.dispose()

    try:
        asyncio.run(run())
    except QdeckError as exc:
        typer.echo(f"error: {exc.detail}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"created {'admin ' if admin else ''}user {email.lower()}")
